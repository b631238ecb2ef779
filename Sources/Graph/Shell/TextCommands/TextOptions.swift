/// Command-line options as glibc's `getopt_long` reads them for coreutils and sed:
/// clustered short options, an argument attached or in the next word, long options
/// abbreviated to any unambiguous prefix, `--` ending the options, and options after
/// operands (glibc permutes them; makepkg does not set POSIXLY_CORRECT).
struct TextOptions {
    enum Argument { case none, required, optional }

    struct Long {
        var name: String
        var argument: Argument
        /// The short option it stands for, or its own key.
        var key: String
    }

    /// `getopt`'s short option string: `"b:c:d:f:nsz"`.
    var short: String
    var long: [Long]

    /// The options in order, each with its key and argument.
    struct Parsed {
        var options: [(key: String, value: String?)] = []
        var operands: [String] = []

        func has(_ key: String) -> Bool { options.contains { $0.key == key } }
        func last(_ key: String) -> String? { options.last { $0.key == key }?.value }
    }

    /// The error getopt prints: the command then exits with its usage status.
    struct Invalid: Error { var message: String }

    func argumentKind(ofShort c: Character) -> Argument? {
        guard let i = short.firstIndex(of: c), c != ":" else { return nil }
        let after = short[short.index(after: i)...]
        if after.hasPrefix("::") { return .optional }
        if after.hasPrefix(":") { return .required }
        return Argument.none
    }

    func parse(_ arguments: [String]) throws(Invalid) -> Parsed {
        var parsed = Parsed()
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "--" {
                parsed.operands.append(contentsOf: arguments[i...])
                break
            }
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = body.prefix { $0 != "=" }
                let inline: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                var candidates = long.filter { $0.name.hasPrefix(name) }
                if let exact = long.first(where: { $0.name == name }) { candidates = [exact] }
                guard let option = candidates.first else { throw Invalid(message: "unrecognized option '\(arg)'") }
                if candidates.count > 1, Set(candidates.map(\.key)).count > 1 {
                    throw Invalid(message: "option '\(arg)' is ambiguous")
                }
                switch option.argument {
                case .none:
                    if inline != nil { throw Invalid(message: "option '--\(option.name)' doesn't allow an argument") }
                    parsed.options.append((option.key, nil))
                case .optional:
                    parsed.options.append((option.key, inline))
                case .required:
                    if let inline {
                        parsed.options.append((option.key, inline))
                    } else if i < arguments.count {
                        parsed.options.append((option.key, arguments[i]))
                        i += 1
                    } else {
                        throw Invalid(message: "option '--\(option.name)' requires an argument")
                    }
                }
                continue
            }
            if arg.hasPrefix("-"), arg.count > 1 {
                var rest = Substring(arg.dropFirst())
                while let c = rest.first {
                    rest = rest.dropFirst()
                    guard let kind = argumentKind(ofShort: c) else { throw Invalid(message: "invalid option -- '\(c)'") }
                    switch kind {
                    case .none:
                        parsed.options.append((String(c), nil))
                    case .optional:
                        parsed.options.append((String(c), rest.isEmpty ? nil : String(rest)))
                        rest = ""
                    case .required:
                        if !rest.isEmpty {
                            parsed.options.append((String(c), String(rest)))
                        } else if i < arguments.count {
                            parsed.options.append((String(c), arguments[i]))
                            i += 1
                        } else {
                            throw Invalid(message: "option requires an argument -- '\(c)'")
                        }
                        rest = ""
                    }
                }
                continue
            }
            parsed.operands.append(arg)
        }
        return parsed
    }
}

extension TextInvocation {
    /// Parses the arguments; `--help` and `--version` (which only print) and the keys in
    /// `unevaluated` are unsupported, an option getopt refuses is `Invalid`.
    func options(_ spec: TextOptions, unevaluated: Set<String> = []) throws(TextCommandFailure) -> Result<TextOptions.Parsed, TextOptions.Invalid> {
        var spec = spec
        spec.long += [.init(name: "help", argument: .none, key: "help"), .init(name: "version", argument: .none, key: "version")]
        let parsed: TextOptions.Parsed
        do { parsed = try spec.parse(arguments) } catch { return .failure(error) }
        for (key, _) in parsed.options where unevaluated.contains(key) || key == "help" || key == "version" {
            throw unsupported(key.count == 1 ? "-\(key)" : "--\(key)")
        }
        return .success(parsed)
    }
}
