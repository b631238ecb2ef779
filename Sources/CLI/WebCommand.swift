import ArgumentParser
import Foundation
import Scheduler
import Web

extension Pacbuild {
    /// `pacbuild web ...`: accounts and API tokens for `pacbuild serve`'s `[web]` section.
    struct WebCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "web",
            abstract: "Make accounts and API tokens for pacbuild serve (lines for [web] in pacbuild.toml).",
            subcommands: [WebPasswd.self, WebToken.self])
    }

    /// `pacbuild web passwd NAME [--role maintainer]`: the `[web] users` entry of an account.
    struct WebPasswd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd",
            abstract: "Hash a password with bcrypt and print the account's [web] users entry.",
            discussion: """
                Asks for the password twice on a terminal; otherwise reads one line from standard \
                input. Prints "NAME:ROLE:HASH": add it to users = [...] under [web] and restart \
                pacbuild serve. The password itself is stored nowhere.
                """)
        @Argument(help: "The account's name (a-z, 0-9, '.', '_', '-').") var name: String
        @Option(help: "viewer (reads) or maintainer (also reviews and controls builds).") var role: String = "viewer"

        func validate() throws { try validateAccount(name, role) }

        func run() throws {
            let password: String
            if isatty(STDIN_FILENO) != 0 {
                let first = String(cString: getpass("password for \(name): "))
                guard first == String(cString: getpass("again: ")) else { throw ValidationError("the passwords differ") }
                password = first
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            guard password.count >= 8 else { throw ValidationError("a password needs at least 8 characters") }
            print("\(name):\(role):\(Passwords.hash(password))")
        }
    }

    /// `pacbuild web token NAME [--role maintainer]`: a new API token and its `[web] tokens` entry.
    struct WebToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Make an API token: prints the token (give it to the script) and its [web] tokens entry (its sha256).",
            discussion: "Scripts send it as Authorization: Bearer TOKEN. Only the sha256 goes into pacbuild.toml.")
        @Argument(help: "The token's name, as the audit log shows it (a-z, 0-9, '.', '_', '-').") var name: String
        @Option(help: "viewer (reads) or maintainer (also reviews and controls builds).") var role: String = "viewer"

        func validate() throws { try validateAccount(name, role) }

        func run() {
            let (token, sha256) = Passwords.newToken()
            print("token: \(token)")
            print("entry: \(name):\(role):\(sha256)")
        }
    }
}

private func validateAccount(_ name: String, _ role: String) throws {
    guard WebSettings.Role(rawValue: role) != nil else { throw ValidationError("--role is viewer or maintainer, not '\(role)'") }
    guard WebSettings.isValidName(name) else { throw ValidationError("'\(name)' is not a name of a-z, 0-9, '.', '_', '-' (at most 64)") }
}
