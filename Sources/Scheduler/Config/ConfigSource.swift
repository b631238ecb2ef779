import Foundation
import TOMLKit

/// One configuration file, parsed: its top-level table and the locator that turns keys
/// back into line numbers for messages.
struct ConfigSource: Sendable {
    /// The file as messages name it, relative to the configuration directory.
    let name: String
    let root: [String: TOMLNode]
    let locator: TOMLKeyLocator

    /// Reads and parses `path`; a file that cannot be read or parsed is one error.
    static func read(path: String, name: String) -> Result<ConfigSource, ConfigError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConfigError(file: name, line: nil, key: nil, problem: .unreadable("no such file or not readable")))
        }
        return parse(text: String(decoding: data, as: UTF8.self), name: name)
    }

    /// Parses TOML text; exposed apart from `read` so tests need no files.
    static func parse(text: String, name: String) -> Result<ConfigSource, ConfigError> {
        do {
            let table = try TOMLTable(string: text)
            return .success(ConfigSource(name: name, root: TOMLNode.dictionary(table), locator: TOMLKeyLocator(text: text)))
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            return .failure(ConfigError(file: name, line: line > 0 ? line : nil, key: nil, problem: .syntax(error.description)))
        } catch {
            return .failure(ConfigError(file: name, line: nil, key: nil, problem: .syntax("\(error)")))
        }
    }

    /// A reader over the top-level table.
    func table(keys: [String]) -> ConfigTable {
        ConfigTable(source: self, path: [], values: root, keys: keys)
    }
}
