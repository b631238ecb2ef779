import Foundation

extension Configuration {
    /// This configuration with `[workers]` changed, as a waka's command line changes it
    /// (`--tag`, `--arch`, `--lease-seconds`, `--heartbeat-seconds`); a config-less
    /// waka has no other way to set them.
    public func changingWorkers(_ change: (inout WorkerSettings) -> Void) -> Configuration {
        var global = self.global
        change(&global.workers)
        return Configuration(directory: directory, global: global, repos: repos, errors: errors)
    }
}
