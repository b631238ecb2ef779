import ArgumentParser
import Repo

/// Prints an update's warnings and failures (standard error) and removed files, and
/// turns failures into exit status 1, as repo-add reports them.
func finish(_ report: RepoUpdateReport, database: String) throws {
    for warning in report.warnings { printError("warning: \(warning)") }
    for failure in report.failures { printError("error: \(failure)") }
    for file in report.removedFiles { print("removed \(file)") }
    if !report.written {
        printError("\(database): no packages modified, nothing written")
    }
    if !report.failures.isEmpty { throw ExitCode(1) }
}

/// Prints the warnings of a verify-only run (`repo add --verify DB`); a bad signature
/// arrives as a thrown error instead.
func finishVerifying(_ report: RepoUpdateReport) throws {
    for warning in report.warnings { printError("warning: \(warning)") }
}
