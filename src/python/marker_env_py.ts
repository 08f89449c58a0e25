/**
 * The Python source both interpreter scripts share: it defines `env`, the PEP
 * 508 marker variables of the running interpreter (needs `os`, `platform` and
 * `sys` imported).
 *
 * @module
 */

/**
 * Python lines that set `env` to the marker variables.
 *
 * @example
 * ```ts
 * const script = `import os, platform, sys\n${MARKER_ENV_PY}\nprint(env)\n`;
 * ```
 */
export const MARKER_ENV_PY = `def full_version(info):
    v = "%d.%d.%d" % (info.major, info.minor, info.micro)
    if info.releaselevel != "final":
        v += info.releaselevel[0] + str(info.serial)
    return v

env = {
    "implementation_name": sys.implementation.name,
    "implementation_version": full_version(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": "%d.%d" % sys.version_info[:2],
    "sys_platform": sys.platform,
}
`;
