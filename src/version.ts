/** The tool's own version, printed by `buildout --version`. */
export const VERSION = "0.1.0";
