/// One place notifications go: a webhook or a command of `[notify]`.
public enum NotifyTarget: Sendable, Hashable, CustomStringConvertible {
    case webhook(String)
    case command(String)

    /// The name of its cursor in the store: `webhook:URL`, `command:PATH`.
    public var key: String {
        switch self {
        case .webhook(let url): "webhook:" + url
        case .command(let path): "command:" + path
        }
    }

    public var description: String { key }

    /// Every target of the settings: the webhooks, then the commands.
    public static func all(_ settings: NotifySettings) -> [NotifyTarget] {
        settings.webhooks.map(NotifyTarget.webhook) + settings.commands.map(NotifyTarget.command)
    }
}
