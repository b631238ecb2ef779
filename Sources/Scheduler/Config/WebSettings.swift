import Foundation

/// Who may use `pacbuild serve` and how, from `[web]` in `pacbuild.toml`.
///
///     [web]
///     public = false                # pages and the read API need an account or token
///     secure_cookies = true         # the session cookie only over HTTPS (localhost too)
///     users = ["alice:maintainer:$2b$12$...", "bob:viewer:$2b$12$..."]   # pacbuild web passwd
///     tokens = ["ci:maintainer:SHA256"]                                  # pacbuild web token
///     base_url = "https://builds.example.org/"   # where users reach it: links in notifications
public struct WebSettings: Sendable, Equatable {
    /// What an account or token may do: `viewer` reads, `maintainer` also reviews and
    /// controls builds.
    public enum Role: String, Sendable, CaseIterable {
        case viewer, maintainer
    }

    /// An account: its name, role and bcrypt hash (`$2b$`, as `pacbuild web passwd` makes it).
    public struct Account: Sendable, Equatable {
        public var name: String
        public var role: Role
        public var passwordHash: String
    }

    /// An API token for scripts: the sha256 (hex) of the token, never the token itself.
    public struct Token: Sendable, Equatable {
        public var name: String
        public var role: Role
        public var sha256: String
    }

    /// Whether pages and the read API are open to anyone who reaches the server.
    public var publicPages = true
    /// Whether the session cookie is `Secure` (sent over HTTPS only; browsers treat
    /// `http://localhost` as secure). Off only for a trusted plain-HTTP network.
    public var secureCookies = true
    public var users: [Account] = []
    public var tokens: [Token] = []
    /// The address users reach `pacbuild serve` at (behind a proxy, its public one),
    /// without a trailing slash: notifications link to build pages under it. Nil: they
    /// carry no link.
    public var baseURL: String?

    public init() {}

    static let keys = ["public", "secure_cookies", "users", "tokens", "base_url"]

    /// The page of a build under ``baseURL``.
    public func buildPage(_ id: BuildID) -> String? { baseURL.map { "\($0)/builds/\(id.rawValue)" } }

    /// The page of a rebuild set under ``baseURL``.
    public func setPage(_ id: Int64) -> String? { baseURL.map { "\($0)/set/\(id)" } }

    /// Account and token names: what an audit log entry names.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy(nameCharacters.contains)
    }

    private static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")

    /// `NAME:ROLE:SECRET` of `users` and `tokens`; nil when malformed.
    static func entry(_ text: String) -> (name: String, role: Role, secret: String)? {
        let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3, isValidName(fields[0]), let role = Role(rawValue: fields[1]) else { return nil }
        return (fields[0], role, fields[2])
    }

    /// A bcrypt hash as crypt(3) writes it: `$2a$`/`$2b$`/`$2y$`, a two-digit cost, 53 characters.
    static func isBcrypt(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.hasPrefix("$2"), [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
              bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$") else { return false }
        return bytes[4...5].allSatisfy { (48...57).contains($0) }
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Reads `[web]`, keeping the default of each key that is absent or wrong and
    /// leaving out every malformed account or token (each an error naming it).
    static func parse(_ table: inout ConfigTable) -> WebSettings {
        var settings = WebSettings()
        guard var nested = table.table("web", keys: keys) else { return settings }
        settings.publicPages = nested.bool("public") ?? settings.publicPages
        settings.secureCookies = nested.bool("secure_cookies") ?? settings.secureCookies
        let userForm = "NAME:ROLE:BCRYPT (NAME of a-z 0-9 . _ -, ROLE viewer or maintainer, a bcrypt hash from `pacbuild web passwd`)"
        for text in nested.strings("users", expected: "an array of \(userForm)") ?? [] {
            guard let (name, role, hash) = entry(text), isBcrypt(hash) else {
                nested.fail("users", .invalidValue(expected: userForm, found: "'\(text.split(separator: ":").prefix(2).joined(separator: ":")):...'"))
                continue
            }
            guard !settings.users.contains(where: { $0.name == name }) else {
                nested.fail("users", .invalidValue(expected: "one entry per account", found: "a second '\(name)'"))
                continue
            }
            settings.users.append(Account(name: name, role: role, passwordHash: hash))
        }
        let tokenForm = "NAME:ROLE:SHA256 (the sha256 of the token in hex, from `pacbuild web token`)"
        for text in nested.strings("tokens", expected: "an array of \(tokenForm)") ?? [] {
            guard let (name, role, sha) = entry(text), isSHA256(sha) else {
                nested.fail("tokens", .invalidValue(expected: tokenForm, found: "'\(text.split(separator: ":").prefix(2).joined(separator: ":")):...'"))
                continue
            }
            settings.tokens.append(Token(name: name, role: role, sha256: sha))
        }
        if let url = nested.string("base_url", expected: "the http:// or https:// address of pacbuild serve") {
            if NotifySettings.isWebhook(url) {
                settings.baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                nested.fail("base_url", .invalidValue(expected: "the http:// or https:// address of pacbuild serve", found: "'\(url)'"))
            }
        }
        table.absorb(nested)
        return settings
    }
}
