import Foundation

/// Finds the Debian mirror this machine's apt uses, so debootstrap fetches from the
/// same place apt does (a machine may reach only its configured mirror or proxy).
enum DebianMirror {
    static let sourceFiles = ["/etc/apt/sources.list", "/etc/apt/sources.list.d"]

    /// The first `URIs:`/`deb URL` whose suites include `suite` and whose path ends in
    /// `/debian` (not `debian-security` or a third-party repository).
    static func find(suite: String = "bookworm") throws(SandboxError) -> String {
        for file in files() {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            if let mirror = mirror(in: text, suite: suite) { return mirror }
        }
        throw .noMirror(searched: sourceFiles)
    }

    static func files() -> [String] {
        var files = ["/etc/apt/sources.list"]
        let dir = "/etc/apt/sources.list.d"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        files += names.filter { $0.hasSuffix(".list") || $0.hasSuffix(".sources") }.sorted().map { dir + "/" + $0 }
        return files
    }

    /// Reads both formats: one-line `deb URL SUITE COMPONENTS` and deb822 stanzas.
    static func mirror(in text: String, suite: String) -> String? {
        for stanza in text.components(separatedBy: "\n\n") {
            var uris: [String] = [], suites: [String] = []
            for raw in stanza.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("#") { continue }
                let words = line.split(separator: " ").map(String.init)
                if words.first == "deb", words.count >= 3 {
                    let rest = words.dropFirst().filter { !$0.hasPrefix("[") && !$0.hasSuffix("]") && !$0.contains("=") }
                    if rest.count >= 2, isDebian(rest[rest.startIndex], rest[rest.startIndex + 1], suite) { return rest[rest.startIndex] }
                } else if words.first == "URIs:" {
                    uris = Array(words.dropFirst())
                } else if words.first == "Suites:" {
                    suites = Array(words.dropFirst())
                }
            }
            if let uri = uris.first(where: { uri in suites.contains { isDebian(uri, $0, suite) } }) { return uri }
        }
        return nil
    }

    private static func isDebian(_ uri: String, _ listed: String, _ suite: String) -> Bool {
        listed == suite && (uri.hasPrefix("http://") || uri.hasPrefix("https://") || uri.hasPrefix("file:"))
            && uri.trimmingCharacters(in: CharacterSet(charactersIn: "/")).hasSuffix("/debian")
    }
}
