import Mustache

/// The pages' mustache templates, compiled into the binary (a server that runs from one
/// file, nothing to install beside it). Every value is written as `{{value}}`, which
/// HTML-escapes it; none is written unescaped (`{{{ }}}`), since package names,
/// descriptions, reasons and logs come from PKGBUILDs and builds, which are hostile.
enum Templates {
    static let all: [String: String] = [
        "head": head, "foot": foot, "buildlink": buildLink,
        "overview": overview, "queue": queue, "build": build, "package": package,
        "plan": plan, "plangraph": planGraph, "plansvg": planSVG, "why": why, "entrylink": entryLink, "login": login, "refused": refused,
        "set": set, "setmembers": setMembers,
    ]

    /// The templates rendered as whole pages (``WebSite/page(_:_:viewer:)``).
    static let pages = ["overview", "queue", "build", "package", "plan", "why", "login", "refused", "set"]

    /// A page's template within its ``PageContext``: the view first, then who is signed in.
    static func pageName(_ name: String) -> String { "page-" + name }

    static func library() throws(WebError) -> MustacheLibrary {
        var library = MustacheLibrary()
        let wrapped = pages.map { (pageName($0), "{{#page}}{{> \($0)}}{{/page}}") }
        for (name, text) in Array(all) + wrapped {
            do { try library.register(text, named: name) } catch { throw .badTemplate(name: name, reason: "\(error)") }
        }
        return library
    }

    /// The build page's only script, served as a file so that the pages' policy can
    /// forbid inline scripts: it appends each streamed line as text, never as markup.
    static let followLog = """
        (function () {
          var log = document.getElementById("log"), note = document.getElementById("live");
          if (!log || !log.dataset.stream || !window.EventSource) { return; }
          var source = new EventSource(log.dataset.stream);
          source.onmessage = function (e) { log.append(e.data + "\\n"); };
          source.addEventListener("end", function (e) { note.textContent = "Finished: " + e.data; source.close(); });
        })();

        """

    static let head = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} - pacbuild</title>
        <style>
        body { font-family: sans-serif; margin: 1em 2em; color: #222; }
        nav a, nav span { margin-right: 1em; }
        nav form { display: inline; }
        table { border-collapse: collapse; margin-bottom: 1em; }
        th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
        pre.log { background: #f6f6f6; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
        .state-failed, .state-blocked, .state-rejected { color: #a00; }
        .state-accepted, .state-built { color: #060; }
        .state-building { color: #005; }
        .stale { color: #a00; }
        </style></head><body>
        <nav><a href="/">overview</a><a href="/queue">queue</a><a href="/plan">plan</a><a href="/metrics">metrics</a><a href="/api/v1/status">api</a>{{#signedIn}}<span id="signed-in">{{name}} ({{role}})</span>{{#csrf}} <form method="post" action="/logout" id="sign-out"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">sign out</button></form>{{/csrf}}{{/signedIn}}{{^signedIn}}<a href="/login" id="sign-in">sign in</a>{{/signedIn}}</nav>

        """

    static let foot = """
        </body></html>

        """

    static let entryLink = """
        <a href="{{whyLink}}">{{id}}</a>
        """

    static let buildLink = """
        <a href="/builds/{{id}}">#{{id}}</a> <a href="{{packageLink}}">{{package}}</a> {{version}}
        """
}
