import Testing
@testable import Graph

/// Tiny literal graphs in the manner of SwiftPM's `TopologicalSortTests`; edges point
/// from a node to what it needs.
@Suite struct GraphAlgorithmsTests {
    private func successors(_ edges: [String: [String]]) -> (String) -> [String] {
        { edges[$0] ?? [] }
    }

    @Test func diamondBuildsInThreeWaves() {
        let edges = ["app": ["left", "right"], "left": ["base"], "right": ["base"]]
        let (waves, cycles) = topologicalWaves(["app"], successors: successors(edges))
        #expect(waves == [["base"], ["left", "right"], ["app"]])
        #expect(cycles.isEmpty)
        #expect(stronglyConnectedComponents(["app"], successors: successors(edges)) ==
                [["base"], ["left"], ["right"], ["app"]])
    }

    @Test func chainIsOneNodePerWave() {
        let edges = ["c": ["b"], "b": ["a"]]
        #expect(topologicalWaves(["a", "b", "c"], successors: successors(edges)).waves == [["a"], ["b"], ["c"]])
    }

    @Test func selfLoopIsACycleWithItsClosingEdge() {
        let edges = ["a": ["a", "b"]]
        let (waves, cycles) = topologicalWaves(["a"], successors: successors(edges))
        #expect(waves == [["b"], ["a"]])
        #expect(cycles.count == 1)
        #expect(cycles[0].members == ["a"])
        #expect(cycles[0].closingEdges == [GraphEdge(from: "a", to: "a")])
    }

    @Test func twoNodeCycleIsOneUnitAndOrderedWithoutItsClosingEdge() {
        let edges = ["top": ["x"], "x": ["y"], "y": ["x", "base"]]
        let condensation = Condensation(nodes: ["top"], successors: successors(edges))
        #expect(condensation.waves == [["base"], ["x", "y"], ["top"]])
        let cycle = condensation.cycles[0]
        #expect(cycle.members == ["x", "y"])
        #expect(Set(cycle.edges) == [GraphEdge(from: "x", to: "y"), GraphEdge(from: "y", to: "x")])
        #expect(cycle.closingEdges == [GraphEdge(from: "y", to: "x")])
        #expect(cycle.order == ["y", "x"])
        #expect(!condensation.isAcyclic)
    }

    @Test func reverseClosureFindsEveryDependentAndTheTargets() {
        let edges = ["app": ["lib"], "tool": ["app"], "other": ["base"], "lib": ["base"]]
        let all = ["app", "tool", "other", "lib", "base"]
        #expect(reverseTransitiveClosure(of: ["lib"], in: all, successors: successors(edges)) == ["lib", "app", "tool"])
        #expect(Set(reverseTransitiveClosure(of: ["base"], in: all, successors: successors(edges))) == Set(all))
    }

    /// app(1) needs lib(4) and doc(1); lib needs base(2); doc needs base.
    @Test func prioritiesAreTheLongestWeightedChainToTheEnd() {
        let edges = ["app": ["lib", "doc"], "lib": ["base"], "doc": ["base"]]
        let weights = ["app": 1.0, "lib": 4, "doc": 1, "base": 2]
        let path = CriticalPath(nodes: ["app"], successors: successors(edges), weight: { weights[$0]! })
        #expect(path.priority(of: "app") == 1)
        #expect(path.priority(of: "lib") == 5)
        #expect(path.priority(of: "doc") == 2)
        #expect(path.priority(of: "base") == 7)
        #expect(path.priority(of: "nothing") == nil)
        #expect(path.length == 7)
        #expect(path.makespan(workers: 1) == 8)
        #expect(path.makespan(workers: 2) == 7)
        #expect(path.makespan(workers: 8) == 7)
    }

    @Test func listSchedulingStartsTheLongestChainFirst() {
        // A chain long1 -> long2 (3 + 3) and three short builds (2 each): starting long1
        // at once finishes at 6 on two workers; starting the short ones first would take 8.
        let edges = ["long2": ["long1"]]
        let weights = ["long1": 3.0, "long2": 3, "s1": 2, "s2": 2, "s3": 2]
        let path = CriticalPath(nodes: ["s1", "s2", "s3", "long2"], successors: successors(edges),
                                weight: { weights[$0]! })
        #expect(path.makespan(workers: 2) == 6)
    }

    @Test func cycleWeighsTheSumOfItsMembers() {
        let edges = ["x": ["y"], "y": ["x"], "top": ["x"]]
        let path = CriticalPath(nodes: ["top"], successors: successors(edges), weight: { _ in 1 })
        #expect(path.priority(of: "x") == 3)
        #expect(path.priority(of: "y") == 3)
        #expect(path.makespan(workers: 4) == 3)
    }

    @Test func hundredThousandNodeChainDoesNotOverflowTheStack() {
        let count = 100_000
        let next: (Int) -> [Int] = { $0 + 1 < count ? [$0 + 1] : [] }
        let condensation = Condensation(nodes: [0], successors: next)
        #expect(condensation.components.count == count)
        #expect(condensation.waveOfComponent.max() == count - 1)
        #expect(condensation.component(of: count - 1) == 0)
        let path = CriticalPath(condensation, weight: { _ in 1 })
        #expect(path.priority(of: count - 1) == Double(count))
        #expect(path.makespan(workers: 2) == Double(count))
        #expect(reverseTransitiveClosure(of: [count - 1], in: [0], successors: next).count == count)
        // and closed into one big cycle
        let ring = Condensation(nodes: [0], successors: { [($0 + 1) % count] })
        #expect(ring.cycles.count == 1)
        #expect(ring.cycles[0].closingEdges == [GraphEdge(from: count - 1, to: 0)])
        #expect(ring.cycles[0].order.first == count - 1)
    }
}

/// The transitive reduction a reduced plan picture draws.
struct TransitiveReductionTests {
    @Test func impliedEdgesAreLeftOut() {
        // d needs c, b and a; c needs b; b needs a: only the chain is left
        let edges: [String: [String]] = ["d": ["c", "b", "a"], "c": ["b"], "b": ["a"], "a": []]
        let kept = transitiveReduction(["d"]) { edges[$0] ?? [] }.map { "\($0.from)\($0.to)" }
        #expect(kept == ["dc", "cb", "ba"])
    }

    @Test func aDiamondKeepsBothSides() {
        let edges: [String: [String]] = ["top": ["left", "right", "bottom"], "left": ["bottom"], "right": ["bottom"]]
        let kept = Set(transitiveReduction(["top"]) { edges[$0] ?? [] }.map { "\($0.from)-\($0.to)" })
        #expect(kept == ["top-left", "top-right", "left-bottom", "right-bottom"])
    }

    @Test func edgesInsideACycleStayAndEdgesPastItAreReduced() {
        // x needs the cycle p <-> q and also z, which the cycle needs: x -> z is implied
        let edges: [String: [String]] = ["x": ["p", "z"], "p": ["q"], "q": ["p", "z"], "z": []]
        let kept = Set(transitiveReduction(["x"]) { edges[$0] ?? [] }.map { "\($0.from)-\($0.to)" })
        #expect(kept == ["x-p", "p-q", "q-p", "q-z"])
    }
}
