/**
 * The media types and annotation keys of a buildout bundle stored as an OCI artifact.
 *
 * An artifact is an OCI image manifest (`artifactType` {@link ARTIFACT_TYPE}) whose config blob
 * is a small JSON document ({@link CONFIG_TYPE}) and whose layers are: first, one gzipped tar of
 * the configuration files and `MANIFEST` ({@link CONFIGS_LAYER_TYPE}); then one layer per file
 * of the download cache, the file itself ({@link FILE_LAYER_TYPE}), named by the
 * `org.opencontainers.image.title` annotation. A cache file's blob digest is therefore its
 * sha256 in `MANIFEST`, and a registry that already holds it is not sent it again.
 *
 * @module
 */

/** The manifest's `artifactType`. */
export const ARTIFACT_TYPE = "application/vnd.buildout.bundle.v1+json";
/** The config blob's media type. */
export const CONFIG_TYPE = "application/vnd.buildout.bundle.v1+json";
/** The layer holding the configuration files and `MANIFEST` (tar, gzip). */
export const CONFIGS_LAYER_TYPE =
  "application/vnd.buildout.bundle.layer.v1.tar+gzip";
/** A layer that is one download-cache file as it is. */
export const FILE_LAYER_TYPE = "application/vnd.buildout.bundle.file.v1";
/** The OCI image manifest media type. */
export const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
/** The OCI image index media type (`index.json` of a layout). */
export const INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
/** Annotation: a layer's file name in the bundle. */
export const TITLE = "org.opencontainers.image.title";
/** Annotation: creation time (only with `--created`). */
export const CREATED = "org.opencontainers.image.created";
/** Annotation: the tag of a manifest in a layout's `index.json`. */
export const REF_NAME = "org.opencontainers.image.ref.name";
/** Annotation: the version of the tool that made the bundle. */
export const TOOL_VERSION = "vnd.buildout.tool.version";

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** An OCI image manifest, the fields a bundle uses. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}
