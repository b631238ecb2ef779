import Foundation
import Testing
@testable import Graph

/// The interpreter against the real bash: each snippet sets `out`, and the array bash
/// ends with must be the array we end with, element for element.
struct BashDifferentialTests {
    static let snippets: [String] = [
        #"out=(a "b c" 'd  e' f\ g)"#,
        #"v=hello; out=($v "$v" '$v' "${v}x" ${v}x)"#,
        #"v="a b  c"; out=($v "$v")"#,
        #"out=(x{a,b}y {1..3} {a..c} {01..03} {3..1} {1..7..3} {a,{b,c}}d {a{b,c}} {} {x} "{a,b}" \{a,b\})"#,
        #"v=1.2.3; out=(${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${v/./_} ${v//./_} ${v/#1/X} ${v/%3/Y})"#,
        #"v=linux-lts; out=(${v#linux} "${v#linux-}" ${v%-*})"#,
        #"v=HeLLo; out=(${v^^} ${v,,} ${v^} ${v,} ${#v} ${v:1} ${v:1:2} ${v: -2} ${v:(-3):2} ${v::-1})"#,
        #"unset u; e=; out=("${u:-def}" "${e:-def}" "${e-def}" "${u-def}" "${e:+alt}" "${v:+alt}" x${u:-a b}y)"#,
        #"a=(one two three); out=("${a[@]}" "${#a[@]}" "${a[1]}" "${a[-1]}" "${a[@]:1}" "${a[*]}" "${!a[@]}")"#,
        #"a=(x y); a+=(z); b=s; b+=t; out=("${a[@]}" "$b" "${a}")"#,
        #"a=(); out=("${a[@]}" "pre${a[@]}post" ${a[@]})"#,
        #"a=("1 2" 3); out=(${a[@]} "${a[@]}" "x${a[@]}y")"#,
        #"a[3]=c; a[1]=a; out=("${a[@]}" "${!a[@]}" "${#a[@]}")"#,
        #"n=009; out=($((10#$n)) $((1+2*3)) $((7/2)) $((7%3)) $((2**10)) $((1<2)) $((5>3?1:0)) $((0x1f)) $((010)))"#,
        #"i=0; out=(); for x in a b c; do out+=("$x$i"); i=$((i+1)); done"#,
        #"out=(); for ((i=1; i<=3; i++)); do out+=($(printf "%03d" $i)); done"#,
        #"CARCH=x86_64; if [[ $CARCH == x86_64 ]]; then out=(yes); else out=(no); fi"#,
        #"CARCH=aarch64; case $CARCH in x86_64|i686) out=(x86);; arm*) out=(arm);; *) out=(other);; esac"#,
        #"v=abc; [[ $v == a* ]] && out=(glob) || out=(noglob)"#,
        #"v=abc; [[ $v == "a*" ]] && out=(glob) || out=(literal)"#,
        #"[ -z "" ] && [ -n x ] && [ 3 -gt 2 ] && test a = a && out=(tests)"#,
        #"[[ 10 -lt 9 || ! -z x && 1 -eq 1 ]] && out=(ok)"#,
        #"v=x; out=("$(echo "$v y")" "$(printf '%s-%s' a b)" `echo back`)"#,
        #"out=($(echo one two) "$(echo one two)")"#,
        #"f() { echo "f:$1"; }; out=("$(f arg)")"#,
        #"f() { local x=inner; g; }; g() { out=("$x"); }; x=outer; f"#,
        #"declare -a out=(d e); declare -r r=1; out+=($r)"#,
        #"eval 'out=(ev "al")'"#,
        #"n=2; eval "out=(\$n \${n})""#,
        #"v='a"b'; out=("$v" "${v//\"/}")"#,
        #"out=($'tab\there' $'nl\\n' "a\"b" 'c\d' "e\\f" "\$g")"#,
        #"v=Hello; out=("${v@Q}" "${v@U}" "${v@L}")"#,
        #"ref=target; target=value; out=("${!ref}")"#,
        #"pre_a=1; pre_b=2; out=(${!pre_@})"#,
        #"declare -A m=([k1]=v1 [k2]=v2); out=("${m[k1]}" "${m[k2]}" "${#m[@]}")"#,
        #"x=5; (( x++ )); (( x += 2 )); out=($x)"#,
        #"out=(a); out[5]=f; out=("${out[@]}")"#,
        #"v=foo.tar.gz; out=("${v%%.tar*}" "${v#*.}" ${v/.tar/})"#,
        #"v=abc; out=(${v/b/[&]} ${v:0:1}${v:2})"#,
        #"v="  spaced  out  "; out=($v "$v")"#,
        #"printf -v out '%s_%d' name 42"#,
        #"out=($(printf '%s\n' a b c))"#,
        #"while false; do :; done; out=(after)"#,
        #"x=3; until (( x == 0 )); do out+=($x); x=$((x-1)); done"#,
        #"v=abc; case "$v" in a?c) out=(q);; *) out=(star);; esac"#,
        #"v=ab; case $v in [a-b]b) out=(bracket);; esac"#,
        #"out=(${v:-$(echo sub)} "${#}" "$#")"#,
        #"set -- p1 p2; out=("$@" "$#" "$1")"#,
        #"v=path/to/file.txt; out=(${v##*/} ${v%/*} ${v##*.})"#,
        #"v=1.2-3; out=(${v//[.-]/_} ${v//[^0-9]/})"#,
        #"out=("a"'b'c"$((1+1))")"#,
        #"v=x; out=($v{1,2} "$v"{a,b})"#,
        // reserved words end at a metacharacter (found in a real tree: `done<"$file"`)
        #"out=(); for x in a b; do out+=($x); done>/dev/null; if true; then out+=(fi); fi>/dev/null"#,
        #"{ out=(grp); }>/dev/null; case a in a) out+=(esac);; esac>/dev/null; for((i=0; i<2; i++)); do out+=($i); done"#,
        // the regex of =~ runs to a blank outside parentheses
        #"x=b; [[ "a b c" =~ (^|[[:space:]])"$x"($|[[:space:]]) ]] && out=(yes) || out=(no); [[ "a]]" =~ a]] ]] && out+=(y)"#,
        #"[[ "a b" =~ (a b) ]] && out=(spaced) || out=(not)"#,
        #"f() { echo "${}" "${a b}"; }; out=(defined)"#,
        // `read` on a here-string, a here-document or a pipe (found in a real tree:
        // `IFS='.' read -ra _pla <<< "${1##.r*}"`)
        #"IFS=. read -ra v <<< "1.4.1.r10629"; IFS=: read a b <<< "x:y:"; read -r c d <<< '  lead  trail  '; out=("${v[@]}" "$a" "$b" "$c" "$d")"#,
        #"out=(); for s in 'x:y:z:' 'x:y::' ' x : y : ' 'x::y' x ''; do IFS=': ' read a b <<< "$s"; IFS=: read e f <<< "$s"; IFS=: read -a g <<< "$s"; out+=("[$a|$b|$e|$f]" "${#g[@]}" "${g[@]}"); done"#,
        #"read <<< '  lead  '; read x y <<< 'a\ b c\\d \"# + "\n" + #"e'; out=("$REPLY" "$x" "$y"); read -r x <<< 'a\ b'; out+=("$x" "$?")"#,
        #"out=(); printf 'l1\nl2\nl3' | { while read l; do out+=("got $l"); done; echo "$l $?" >/dev/null; }; while read -r l; do out+=("$l"); done <<'EOF'"#
            + "\none two\n three\\\nEOF\nout+=(\"$l\")",
        #"IFS= read -r a <<< '  keep  '; read -d , b c <<< 'p q,r'; read -a e <<< ''; out=("$a" "$b" "$c" "${#e[@]}"); read -d '' f <<< $'x\ny'; out+=("$f" "$?")"#,
        #"_ver=5.0; _p=009; out=(bash${_ver//.}-$(printf "%03d" 1){,.sig})"#,
        #"out=(x{1..3}{a,b})"#,
        #"true && out=(t) ; false || out+=(f)"#,
        #"if false; then out=(1); elif true; then out=(2); else out=(3); fi"#,
        #"for x in 1 2 3 4; do [[ $x == 2 ]] && continue; [[ $x == 4 ]] && break; out+=($x); done"#,
        #"out=($(( 3 > 2 && 1 )) $(( ~0 )) $(( -7 / 2 )) $(( 1 << 4 )))"#,
        #"v=ünïcödé; out=(${#v} ${v:1:3} ${v^^})"#,
        #"out=(\"a \'b)"#,
        "out=( # comment\n a # another\n b\n )",
        "out=(a \\\n b)",
        #"v=a; v+=b; v+=(c); out=("${v[@]}")"#,
        // pattern removal and replacement (one-pass automaton), printf's * arguments
        #"v=aXbXc; out=(${v#*X} ${v##*X} ${v%X*} ${v%%X*} ${v/X*/_} ${v//[ab]/_} ${v/#a*X/_} ${v/%X*c/_})"#,
        #"v=abcabc; out=("${v//b*c/-}" "${v/%c/}" "${v%%*}" "${v#*}" "${v##*}" "${v%?}" "${v#??}" "${v//?/.}")"#,
        #"v=aaa; out=("${v#a*}" "${v##a*}" "${v%*a}" "${v%%*a}" "${v/a*a/x}" "${v//a/}" "${v/#/p}" "${v/%/s}")"#,
        #"v=x.tar.gz; out=(${v%.*.*} ${v%%.*} ${v#*.} ${v##*[.]} ${v%[.]gz} ${v/[!x]/_})"#,
        #"printf -v out '[%*s][%-*s][%.*s][%0*d][%*.*s]' -3 a 3 b -1 xyz 4 7 -4 2 abc"#,
        #"printf -v a '%.*s' -1 abc; printf -v b '%5.2s|%-5s|%.0s' xyz ab cd; out=("$a" "$b")"#,
        #"x=$(false); s1=$?; false; y=1; s2=$?; z=$(true)$(false); s3=$?; out=($s1 $s2 $s3)"#,
        #"f() { return 3; }; f; s=$?; i=0; while (( i < 2 )); do (( i++ )); false; done; out=($s $?)"#,
        // arithmetic: every operator and level of precedence, assignments, variables as expressions
        #"out=($((1|2^3&4)) $((1||0&&0)) $((6&3|8)) $((5^1==4)) $((1<2==1)) $((1<<2+1)) $((8>>1>=4)) $((2+3*4%5)) $((-2**2)) $((2**3**2)))"#,
        #"out=($((7-2-1)) $((64/4/2)) $((1!=2)) $((3<=3)) $((3>=4)) $((3<3)) $((4>3)) $((!0)) $((~5)) $((+-3)) $((0?1:2?3:4)))"#,
        #"a=5; b=a+1; c='b*2'; x=7; ((x<<=2, x>>=1, x|=1, x&=13, x^=6, x%=4, x-=1, x*=9, x/=2)); out=($((c)) $x $((a+=2)) $a $((a-=1)) $((a++ + ++a)) $a)"#,
        #"i=0; j=0; (( 0 && i++ )); (( 1 || j++ )); k=$(( 1 ? 2 : i++ )); out=($i $j $k $(( i==0 ? 10 : 20 )))"#,
    ]

    /// Runs each snippet in its own bash subshell and returns what `out` held.
    static func bashResults(_ snippets: [String]) throws -> [[String]] {
        var script = ""
        for snippet in snippets {
            script += "(\n\(snippet)\nprintf '%s\\0' \"${out[@]}\"\n)\nprintf '\\1'\n"
        }
        return try BashRun.records(script)
    }

    static func ourResult(_ snippet: String) -> [String] {
        var shell = ShellInterpreter()
        shell.run(snippet)
        return shell.variables.value("out")?.allValues ?? []
    }

    @Test func snippetsEvaluateLikeBash() throws {
        let expected = try Self.bashResults(Self.snippets)
        try #require(expected.count == Self.snippets.count, "bash ran every snippet")
        for (snippet, bash) in zip(Self.snippets, expected) {
            #expect(Self.ourResult(snippet) == bash, "\(snippet)")
        }
    }

    @Test func externalCommandsAreReportedNotRun() {
        var shell = ShellInterpreter()
        shell.run("touch /tmp/pacbuild-must-not-exist; out=($(uname -r))")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pacbuild-must-not-exist"))
        #expect(shell.diagnostics.map(\.message) == ["runs the command 'touch'", "runs the command 'uname'"])
        #expect(shell.diagnostics.allSatisfy { $0.kind == .unsupported })
    }

    @Test func endlessLoopStopsWithADiagnostic() {
        var shell = ShellInterpreter()
        shell.run("while true; do x=1; done; out=(after)")
        #expect(shell.diagnostics.contains { $0.message.contains("too many steps") })
    }
}
