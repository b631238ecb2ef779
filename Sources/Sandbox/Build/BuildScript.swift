/// The script the sandbox runs as root: install the dependencies with the real pacman,
/// then run the real makepkg as the unprivileged builder (makepkg refuses root). Its
/// own messages start with `==> pacbuild:` so that the log shows which step is which.
enum BuildScript {
    static let builder = "builder"

    /// `sources`: the fetched files (``SourceView``), linked into `SRCDEST`; `sourceNotes`:
    /// where the fetch stage found each, echoed into the log.
    static func text(dependencies: [String], assumeInstalled: [String], customMakepkgConf: Bool, sources: [String] = [],
                     sourceNotes: [String] = []) -> String {
        let dir = SandboxJob.mountPoint
        var lines = [
            "#!/bin/sh",
            "# Written by pacbuild for one build: dependencies as root, then makepkg as \(builder).",
            "set -u",
        ]
        // When every dependency is assumed installed (a bootstrap build whose cycle partner
        // no repository has yet), pacman has nothing to install, and with no repository
        // database yet it would fail on "no usable package repositories".
        if dependencies.count > assumeInstalled.count {
            let assume = assumeInstalled.flatMap { ["--assume-installed", shellQuoted($0)] }.joined(separator: " ")
            lines += [
                "echo '==> pacbuild: installing dependencies: \(dependencies.joined(separator: " "))'",
                "pacman --config \(dir)/pacman.conf --noconfirm --noprogressbar --needed --asdeps -Sy \(assume) -- "
                    + dependencies.map(shellQuoted).joined(separator: " ")
                    + " || { echo '\(FailureClassifier.dependencyMarker)'; exit 70; }",
            ]
        }
        let config = customMakepkgConf ? "--config \(dir)/makepkg.conf " : ""
        // SRCDEST: the builder's (makepkg wants it writable; group-writable as src/ and out/
        // are, for UML, whose hostfs cannot give it to builder), a link per fetched source
        // into the read-only view, so makepkg finds every download there and fetches nothing
        let srcdest = SourceView.sourceDestination
        lines += sourceNotes.map { "echo \(shellQuoted("==> pacbuild: source " + $0))" }
        lines.append("mkdir -p -m 0775 \(srcdest)")
        lines += sources.map { "ln -s \(shellQuoted(SourceView.inside + "/" + $0)) \(shellQuoted(srcdest + "/" + $0))" }
        lines += [
            // under UML hostfs cannot give files to builder: the sandbox group lets it write instead
            "chown -R \(builder): \(dir)/src \(dir)/out \(srcdest) 2>/dev/null || :",
            "echo '==> pacbuild: running makepkg as \(builder)'",
            "cd \(dir)/src",
            // --nodeps: pacman installed them above, and names assumed installed are not in
            // the local database, where makepkg's own check would look for them.
            "exec runuser -u \(builder) -- env -i HOME=/home/\(builder) USER=\(builder) LOGNAME=\(builder) "
                + "PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 PKGDEST=\(dir)/out SRCDEST=\(srcdest) "
                + "BUILDDIR=/tmp/pacbuild-build makepkg \(config)--nodeps --nocolor --noconfirm",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
