import Foundation
import Testing
@testable import Graph

/// Mutated real PKGBUILDs: the reader must answer every one (a result or a diagnostic),
/// never crash or hang.
struct PKGBUILDFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The PKGBUILDs of the trees under `roots`, as bytes.
    static func seeds(_ roots: [String]) throws -> [[UInt8]] {
        try roots.flatMap { try PKGBUILDTree(root: $0).directories }
            .map { Array(try Data(contentsOf: URL(fileURLWithPath: $0 + "/PKGBUILD"))) }
    }

    /// The repository's own PKGBUILDs: the tiny fixture, the .SRCINFO shapes, examples/abs.
    static func seeds() throws -> [[UInt8]] {
        try seeds([TestPaths.packageRoot + "/Tests/Fixtures/tiny-src", TestPaths.packageRoot + "/Tests/Fixtures/srcinfo-shapes",
                   TestPaths.examples])
    }

    static func mutate(_ seed: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var b = seed
        switch rng.next() % 6 {
        case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
        case 1:
            for _ in 0..<(1 + rng.next() % 8) where !b.isEmpty { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2:
            let noise: [UInt8] = Array("'\"{}()[]$`\\;&|<>#\n!*?".utf8)
            for _ in 0..<(1 + rng.next() % 6) { b.insert(noise[Int(rng.next() % UInt64(noise.count))], at: Int(rng.next() % UInt64(b.count + 1))) }
        case 3:
            let depth = Int(1 + rng.next() % 400)
            let open = ["$(", "${x:-", "{ ", "((", "\"$(", "[[ ", "if true; then ", "$(("][Int(rng.next() % 8)]
            b += Array(String(repeating: open, count: depth).utf8)
        case 4:
            // endless loops and exploding values run into the step budget or the size
            // limit; each costs a second in a debug build, so only a few of them
            let tails = ["\nfor ((i=0;i<100000000;i++)); do :; done\n", "\nx=a; while :; do x=$x$x; done\n",
                         "\ny=(x{1..99999999})\n", "\nf() { f; }; f\n", "\nx=(a); for i in {1..40}; do x+=(\"${x[@]}\"); done\n",
                         // issue 14: printf widths that trapped or ate memory, a regex that backtracked for minutes
                         "\nprintf -v x '%.*s' -1 abc\nprintf -v x '%*s' 9223372036854775807 a\n",
                         "\nprintf -v d '%2000000000s' x\n",
                         "\n[[ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa =~ (a|aa)*(a|aa)*b ]]\n"]
            let tail = rng.next() % 10 == 0 ? tails[Int(rng.next() % UInt64(tails.count))] : "\n${x:-${y:-${z}}}\n"
            b += Array(tail.utf8)
        default:
            let cut = Int(rng.next() % UInt64(b.count + 1))
            b = Array(b[cut...] + b[..<cut])
        }
        return b
    }

    @Test func mutatedPKGBUILDsGetAResultOrADiagnostic() throws {
        try Self.fuzz(seeds: try Self.seeds())
    }

    /// 2,000 mutations of `seeds`, each answered within 20 seconds.
    static func fuzz(seeds: [[UInt8]]) throws {
        try #require(seeds.count >= 8)
        var rng = SplitMix(state: 0x5EED)
        let reader = PKGBUILDReader()
        var answered = 0
        for i in 0..<2000 {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            let started = ContinuousClock.now
            let result = reader.read(text: String(decoding: input, as: UTF8.self), file: "fuzz-\(i)")
            #expect(ContinuousClock.now - started < .seconds(20), "fuzz-\(i) took too long")
            if result.srcinfo != nil || !result.diagnostics.isEmpty { answered += 1 }
            for d in result.diagnostics { #expect(d.file == "fuzz-\(i)" && d.line >= 1) }
        }
        #expect(answered == 2000)
    }
}
