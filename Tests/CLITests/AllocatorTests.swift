import Foundation
import Testing
import TestSupport

/// The executable's allocator (Sources/CMimalloc): mimalloc must serve the process's
/// malloc, the Swift runtime's and libc's own included, or the cold plan loses the sixth
/// of its time glibc's malloc cost. The dynamic loader says where each `malloc` binds.
@Suite struct AllocatorTests {
    @Test func mimallocServesEveryMallocOfTheProcess() throws {
        let output = try ProcessRunner.run(PacbuildBinary.path, ["vercmp", "1.0", "1.0.1"],
                                           environment: ["LD_DEBUG": "bindings"])
        #expect(output.status == 0)
        #expect(output.stdout == "-1\n")
        let bindings = output.stderr.split(separator: "\n").filter { $0.hasSuffix("normal symbol `malloc' [GLIBC_2.2.5]") }
        #expect(!bindings.isEmpty, "LD_DEBUG=bindings printed no binding of malloc")
        for line in bindings {
            #expect(line.contains("libmimalloc.so"), "malloc bound elsewhere: \(line)")
        }
        // libc's own calls (strdup, getline, ...) go to mimalloc too
        #expect(bindings.contains { $0.contains("binding file /lib/x86_64-linux-gnu/libc.so.6") || $0.contains("libc.so.6 [0] to") })
    }
}
