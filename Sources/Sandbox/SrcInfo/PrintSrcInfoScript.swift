/// The script the fallback's sandbox runs as root: hand the copy to the unprivileged
/// builder (makepkg refuses root) and run `makepkg --printsrcinfo` there with the job's
/// makepkg.conf and a clean environment, as `corpus/tools/truth.sh` does on a host.
/// Output, errors and status go to files in `out/` (the only files that leave the
/// namespace sandbox), not to the log, so that the `.SRCINFO` is makepkg's stdout byte
/// for byte.
enum PrintSrcInfoScript {
    static let stdoutFile = "out/srcinfo.out"
    static let stderrFile = "out/srcinfo.err"
    static let statusFile = "out/srcinfo.status"

    static var text: String {
        let dir = SandboxJob.mountPoint
        let user = BuildScript.builder
        let makepkg = "cd \(dir)/src && exec makepkg --config \(dir)/makepkg.conf --printsrcinfo"
        return """
            #!/bin/sh
            # Written by pacbuild: the .SRCINFO of one PKGBUILD, by makepkg as \(user).
            set -u
            mkdir -p \(dir)/out
            if [ "$(id -u)" = 0 ]; then
                # makepkg wants its BUILDDIR (the copy) writable, even to print; a read-only
                # tree's copy is read-only too
                chown -R \(user): \(dir)/src && chmod -R u+w \(dir)/src
                # a VCS source whose client (git) is not on PATH makes makepkg ask `pacman -T`,
                # which needs a local database; a Debian root has none, and pacman run once
                # as root makes an empty one (the overlay keeps it to this run)
                pacman -T pacman >/dev/null 2>&1 || true
                runuser -u \(user) -- env -i HOME=/home/\(user) USER=\(user) LOGNAME=\(user) PATH=/usr/bin:/bin LANG=C.UTF-8 \\
                    sh -c '\(makepkg)' >\(dir)/\(stdoutFile) 2>\(dir)/\(stderrFile) </dev/null
            else
                # bubblewrap, unprivileged: the caller's own user already is not root
                chmod -R u+w \(dir)/src
                env -i HOME=/tmp USER=builder PATH=/usr/bin:/bin LANG=C.UTF-8 \\
                    sh -c '\(makepkg)' >\(dir)/\(stdoutFile) 2>\(dir)/\(stderrFile) </dev/null
            fi
            echo $? >\(dir)/\(statusFile)

            """
    }
}
