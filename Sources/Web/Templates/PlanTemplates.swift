extension Templates {
    static let plan = """
        {{> head}}<h1>Plan</h1>
        <p id="plan-counts">{{#counts}}<span class="count" data-status="{{status}}">{{count}} {{status}}</span> {{/counts}}</p>
        {{#cycles}}<p>cycle: {{.}}</p>{{/cycles}}
        <h2>To build</h2>
        {{^planned}}<p>Nothing to build: every package is current.</p>{{/planned}}
        <table id="planned">
        <tr><th>wave</th><th>package</th><th>status</th><th>versions</th><th>needs first</th></tr>
        {{#planned}}<tr><td>{{wave}}</td><td>{{> entrylink}}</td><td>{{status}}</td><td>{{versions}}</td><td>{{#needs}}{{> entrylink}} {{/needs}}</td></tr>
        {{/planned}}</table>
        <h2>Not built</h2>
        <table id="others">
        <tr><th>package</th><th>status</th><th>versions</th><th>why</th></tr>
        {{#others}}<tr><td>{{> entrylink}}</td><td>{{status}}</td><td>{{versions}}</td><td>{{reason}}{{#blockedBy}} &larr; {{> entrylink}}{{/blockedBy}}</td></tr>
        {{/others}}</table>
        {{> foot}}
        """

    static let why = """
        {{> head}}{{#explained}}{{#entry}}<h1>{{id}}</h1>
        <table class="why">
        <tr><th>status</th><td>{{status}}: {{reason}}</td></tr>
        <tr><th>versions</th><td>{{versions}}</td></tr>
        {{/entry}}
        <tr><th>packages</th><td>{{pkgnames}}</td></tr>
        <tr><th>planned</th><td>{{#planned}}yes, wave {{entry.wave}}, priority {{priority}}{{/planned}}{{^planned}}no{{/planned}}</td></tr>
        <tr><th>waits for</th><td>{{#entry.needs}}{{> entrylink}} {{/entry.needs}}</td></tr>
        <tr><th>blocked by</th><td>{{#entry.blockedBy}}{{> entrylink}} {{/entry.blockedBy}}</td></tr>
        <tr><th>blocks</th><td>{{#blocks}}{{> entrylink}} {{/blocks}}</td></tr>
        <tr><th>needed first by</th><td>{{#neededFirstBy}}{{> entrylink}} {{/neededFirstBy}}</td></tr>
        {{#unresolved}}<tr><th>unresolved</th><td>{{.}}</td></tr>{{/unresolved}}
        {{#diagnostics}}<tr><th>diagnostic</th><td>{{.}}</td></tr>{{/diagnostics}}
        {{#marks}}<tr><th>rejected</th><td>{{.}}</td></tr>{{/marks}}
        </table>
        <h2>Builds</h2>
        {{^builds}}<p>None in the store.</p>{{/builds}}
        <ul>{{#builds}}<li class="state-{{stateName}}"><a href="/builds/{{id}}">#{{id}}</a> {{version}} {{state}}{{#reason}}: {{reason}}{{/reason}}</li>{{/builds}}</ul>
        {{/explained}}
        {{> foot}}
        """
}
