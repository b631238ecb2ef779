import Testing
import Graph


@Suite struct DependencyTests {
    // MARK: Parsing (alpm_dep_from_string)

    @Test(arguments: [
        ("foo", "foo", nil, nil, nil),
        ("foo<1", "foo", .lessThan, "1", nil),
        ("foo<=1", "foo", .lessOrEqual, "1", nil),
        ("foo=1", "foo", .equal, "1", nil),
        ("foo>=1", "foo", .greaterOrEqual, "1", nil),
        ("foo>1", "foo", .greaterThan, "1", nil),
        ("foo>=1:2.0-3", "foo", .greaterOrEqual, "1:2.0-3", nil),     // epoch colon stays in the version
        ("foo: for the bar feature", "foo", nil, nil, "for the bar feature"),
        ("foo>=1:2: needed for x", "foo", .greaterOrEqual, "1:2", "needed for x"),
        ("foo: a: b", "foo", nil, nil, "a: b"),                        // only the first ": " splits
        ("foo:  two", "foo", nil, nil, " two"),
        ("foo:bar", "foo:bar", nil, nil, nil),                         // no space: part of the name
        ("python-foo.bar+baz>=2.0", "python-foo.bar+baz", .greaterOrEqual, "2.0", nil),
        ("libfoo.so=1-64", "libfoo.so", .equal, "1-64", nil),
        ("foo=1<2", "foo=1", .lessThan, "2", nil),                     // '<' is looked for first
        ("foo>=", "foo", .greaterOrEqual, "", nil),
        ("foo<: x", "foo", .lessThan, "", "x"),
        ("", "", nil, nil, nil),
    ] as [(String, String, Dependency.Constraint?, String?, String?)])
    func parses(input: String, name: String, constraint: Dependency.Constraint?, version: String?, optDescription: String?) {
        let dependency = Dependency(input)
        #expect(dependency.name == name)
        #expect(dependency.constraint == constraint)
        #expect(dependency.version == version)
        #expect(dependency.optDescription == optDescription)
        #expect(dependency.description == input)
    }

    @Test func printsConstructedEntriesInPacmanForm() {
        #expect(Dependency(name: "foo", .greaterOrEqual, "1:2").description == "foo>=1:2")
        #expect(Dependency(name: "foo", optDescription: "why").description == "foo: why")
        #expect(Dependency(name: "foo", .lessThan, "3", optDescription: "why").description == "foo<3: why")
        #expect(Dependency("foo>=1") == Dependency(name: "foo", .greaterOrEqual, "1"))
        #expect(Dependency("foo>=1") != Dependency("foo>=1.0"))  // structural, not by vercmp
    }

    // MARK: Satisfaction (dep_vercmp, _alpm_depcmp)

    @Test(arguments: [
        (.lessThan, [(-1, true), (0, false), (1, false)]),
        (.lessOrEqual, [(-1, true), (0, true), (1, false)]),
        (.equal, [(-1, false), (0, true), (1, false)]),
        (.greaterOrEqual, [(-1, false), (0, true), (1, true)]),
        (.greaterThan, [(-1, false), (0, false), (1, true)]),
    ] as [(Dependency.Constraint, [(Int, Bool)])])
    func constraintAccepts(constraint: Dependency.Constraint, table: [(Int, Bool)]) {
        for (comparison, accepted) in table {
            #expect(constraint.accepts(comparison: comparison) == accepted, "\(constraint.rawValue) on \(comparison)")
        }
    }

    @Test(arguments: [
        ("foo", "0.1", true),
        ("foo>=1", "1", true),
        ("foo>=1", "0.9", false),
        ("foo>=1", "1-1", true),
        ("foo=1", "1-3", true),          // a release on one side only is ignored
        ("foo=1-2", "1-3", false),
        ("foo=1-2", "1", true),
        ("foo<=1", "1-5", true),
        ("foo<2", "1:1", false),         // the epoch outranks everything
        ("foo>1.0", "1.0a", false),      // 1.0a is older than 1.0
        ("foo>1.0", "1.0.1", true),
        ("foo=1.0", "1_0", true),
    ])
    func satisfiedByVersion(dependency: String, version: String, satisfied: Bool) {
        #expect(Dependency(dependency).isSatisfied(byVersion: version) == satisfied)
    }

    @Test(arguments: [
        ("foo", "foo=1", true),
        ("foo", "foo", true),
        ("foo", "foo>=3", true),         // an unversioned dependency takes any provision
        ("foo", "bar", false),
        ("foo", "Foo", false),
        ("foo>=1", "foo=2", true),
        ("foo>=1", "foo=0.5", false),
        ("foo>=1", "foo", false),        // an unversioned provision never meets a versioned dependency
        ("foo>=1", "foo>=2", false),     // nor one with any operator but '='
        ("foo=1", "foo=1-1", true),
        ("foo=1-1", "foo=1", true),
        ("foo=1-1", "foo=1-2", false),
        ("foo<2", "foo=1:1", false),
        ("libfoo.so>=1-64", "libfoo.so=2-64", true),
    ])
    func satisfiedByProvision(dependency: String, provision: String, satisfied: Bool) {
        #expect(Dependency(dependency).isSatisfied(byProvision: Dependency(provision)) == satisfied)
    }

    @Test func satisfiedByPackage() {
        let foo = Dependency("foo>=1")
        #expect(foo.isSatisfied(by: "foo", version: "1-1", provides: []))
        #expect(!foo.isSatisfied(by: "foo", version: "0.9-1", provides: []))
        // The name or any provision may satisfy: libalpm ORs the two.
        #expect(foo.isSatisfied(by: "foo", version: "0.9-1", provides: [Dependency("foo=2")]))
        #expect(foo.isSatisfied(by: "foo-git", version: "0.1", provides: [Dependency("bar"), Dependency("foo=1.5")]))
        #expect(!foo.isSatisfied(by: "foo-git", version: "5", provides: [Dependency("foo")]))
        #expect(!foo.isSatisfied(by: "bar", version: "5", provides: []))
        #expect(Dependency("foo").isSatisfied(by: "foo-git", version: "0", provides: [Dependency("foo")]))
        // An optdepends description plays no part in matching.
        #expect(Dependency("foo>=1: for x").isSatisfied(by: "foo", version: "2", provides: []))
    }

    @Test func namesMatchByBytes() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        #expect(!Dependency(name: composed).isSatisfied(by: decomposed, version: "1", provides: []))
        #expect(Dependency(name: composed).isSatisfied(by: composed, version: "1", provides: []))
    }
}
