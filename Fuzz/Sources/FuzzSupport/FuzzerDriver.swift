import Foundation
/// libFuzzer's entry for programs that have a `main` of their own (LLVM 11 and later).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// Runs libFuzzer's driver (its usual command line: corpus directories, `-max_total_time`,
/// `-runs`, ...) over `testOneInput` and exits with its status.
///
/// SwiftPM links an executable target's `main` to the module's entry point (the linker's
/// `--defsym main=MODULE_main`), so libFuzzer's own `main` is never linked in and a
/// target built with `-parse-as-library` fails to link; each target's `main.swift` calls
/// this instead.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
