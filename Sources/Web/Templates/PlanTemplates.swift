extension Templates {
    static let plan = """
        {{> head}}<h1>Plan</h1>
        <p id="plan-counts">{{#counts}}<span class="count" data-status="{{status}}">{{count}} {{status}}</span> {{/counts}}</p>
        {{#cycles}}<p>cycle: {{.}}</p>{{/cycles}}
        {{#graph}}<h2>Graph</h2>
        <p>Each build in its wave; an arrow leads from a build to those that need it first. <a href="/plan.svg">As a file</a>.</p>
        <div class="graph" style="overflow-x: auto">{{> plangraph}}</div>{{/graph}}
        {{#graphNote}}<p>{{graphNote}}</p>{{/graphNote}}
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

    /// The plan as an SVG element (``PlanGraph``), inline in the plan page and alone at
    /// `/plan.svg` (``planSVG``). Both `href` and `xlink:href`, for older viewers.
    static let planGraph = """
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" id="plan-graph" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" font-family="sans-serif" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>
        {{#waves}}<text class="wave" x="{{x}}" y="{{y}}" fill="#555">wave {{number}}</text>
        {{/waves}}{{#edges}}<path class="edge" d="{{path}}" fill="none" stroke="#999" marker-end="url(#arrow)"><title>{{from}} before {{to}}</title></path>
        {{/edges}}{{#nodes}}<a class="node" href="{{link}}" xlink:href="{{link}}"><title>{{title}}</title><rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" rx="4" fill="{{fill}}" stroke="#666"/><text x="{{textX}}" y="{{textY}}" fill="#222">{{label}}</text></a>
        {{/nodes}}</svg>

        """

    static let planSVG = """
        <?xml version="1.0" encoding="UTF-8"?>
        {{> plangraph}}
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
