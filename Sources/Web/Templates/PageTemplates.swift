extension Templates {
    static let overview = """
        {{> head}}<h1>pacbuild</h1>
        <h2>Builds by repo</h2>
        {{^repos}}<p>The store holds no builds: run pacbuild catchup.</p>{{/repos}}
        <table id="counts">
        <tr><th>repo</th><th>arch</th><th>total</th><th>by state</th></tr>
        {{#repos}}<tr><td>{{name}}</td><td>{{arch}}</td><td class="total">{{total}}</td><td>{{#counts}}<span class="count state-{{state}}" data-state="{{state}}">{{count}} {{state}}</span> {{/counts}}</td></tr>
        {{/repos}}</table>
        {{#unserved}}<p class="stale">{{count}} ready build(s) need tags no registered waka has all of: {{tags}}</p>
        {{/unserved}}
        <h2>Running</h2>
        {{^running}}<p>Nothing is building.</p>{{/running}}
        <table id="running">
        {{#running}}<tr><td>{{> buildlink}}</td><td>on {{worker}}</td><td>for {{duration}}</td></tr>
        {{/running}}</table>
        <h2>Wakas</h2>
        {{^workers}}<p>No waka has registered.</p>{{/workers}}
        <table id="wakas">
        {{#workers}}<tr><td>{{name}}</td><td>{{host}}</td><td>{{arches}}</td><td>{{slots}} slot(s)</td><td>{{tags}}</td><td{{#stale}} class="stale"{{/stale}}>last seen {{lastSeen}}</td></tr>
        {{/workers}}</table>
        <h2>Last failures</h2>
        {{^failures}}<p>No build failed.</p>{{/failures}}
        <table id="failures">
        {{#failures}}<tr><td>{{> buildlink}}</td><td class="state-failed">{{failure}}</td><td>{{reason}}</td><td>{{finished}}</td></tr>
        {{/failures}}</table>
        {{> foot}}
        """

    static let queue = """
        {{> head}}<h1>Queue</h1>
        {{#next}}<p class="paging">Each section shows {{pageSize}} builds from position {{from}}.</p>{{/next}}{{^next}}{{#previous}}<p class="paging">Each section shows {{pageSize}} builds from position {{from}}.</p>{{/previous}}{{/next}}
        <h2>Ready ({{readyCount}})</h2>
        {{^ready}}<p>Nothing is ready.</p>{{/ready}}
        <table id="ready">
        {{#ready}}<tr><td>{{> buildlink}}</td><td>priority {{priority}}</td><td>{{tags}}</td></tr>
        {{/ready}}</table>
        <h2>Waiting ({{waitingCount}})</h2>
        {{^waiting}}<p>Nothing waits.</p>{{/waiting}}
        <table id="waiting">
        {{#waiting}}<tr>{{#build}}<td>{{> buildlink}}</td>{{/build}}<td>waits on {{#on}}<span class="state-{{stateName}}">{{> buildlink}} ({{state}})</span> {{/on}}</td></tr>
        {{/waiting}}</table>
        <h2>Blocked ({{blockedCount}})</h2>
        {{^blocked}}<p>Nothing is blocked.</p>{{/blocked}}
        <table id="blocked">
        {{#blocked}}<tr>{{#build}}<td>{{> buildlink}}</td>{{/build}}<td>{{#chain}} &larr; <span class="state-{{stateName}}">{{> buildlink}} ({{state}}{{#reason}}: {{reason}}{{/reason}})</span>{{/chain}}</td></tr>
        {{/blocked}}</table>
        <h2>Held sets ({{setCount}})</h2>
        {{^sets}}<p>No rebuild set is open.</p>{{/sets}}
        <div id="sets">{{#sets}}<div class="set" id="set-{{id}}">
        <h3><a href="{{path}}">set {{id}}</a>: {{reason}}</h3>
        {{> setmembers}}
        </div>{{/sets}}</div>
        <p class="paging">{{#previous}}<a href="/queue?from={{previous}}" id="previous">previous {{pageSize}}</a> {{/previous}}{{#next}}<a href="/queue?from={{next}}" id="next">next {{pageSize}}</a>{{/next}}</p>
        {{> foot}}
        """

    static let build = """
        {{> head}}{{#build}}<h1>#{{id}} <a href="{{packageLink}}">{{package}}</a> {{version}}</h1>
        <table id="record">
        <tr><th>state</th><td class="state-{{stateName}}">{{state}}</td></tr>
        {{#failure}}<tr><th>failure class</th><td>{{failure}}</td></tr>{{/failure}}
        {{#reason}}<tr><th>reason</th><td id="reason">{{reason}}</td></tr>{{/reason}}
        {{#worker}}<tr><th>worker</th><td>{{worker}}</td></tr>{{/worker}}
        {{#started}}<tr><th>started</th><td>{{started}}</td></tr>{{/started}}
        {{#finished}}<tr><th>finished</th><td>{{finished}}</td></tr>{{/finished}}
        {{#duration}}<tr><th>duration</th><td>{{duration}}</td></tr>{{/duration}}
        <tr><th>priority</th><td>{{priority}}</td></tr>
        {{#tags}}<tr><th>requires tags</th><td>{{tags}}</td></tr>{{/tags}}
        {{/build}}
        <tr><th>arch</th><td>{{arch}}</td></tr>
        <tr><th>attempts</th><td>{{attempts}}</td></tr>
        <tr><th>created</th><td>{{created}}</td></tr>
        {{#staged}}<tr><th>staged</th><td>{{staged}}</td></tr>{{/staged}}
        {{#reviewed}}<tr><th>reviewed</th><td>{{reviewed}}</td></tr>{{/reviewed}}
        {{#mark}}<tr><th>marked</th><td>{{mark}}</td></tr>{{/mark}}
        {{#inSet}}<tr><th>rebuild set</th><td><a href="{{path}}" id="set">{{label}}</a></td></tr>{{/inSet}}
        </table>
        {{#controls}}<h2>Review</h2>
        <div id="controls">
        {{#canAccept}}<form method="post" action="{{actionPath}}/accept"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">accept</button></form>{{/canAccept}}
        {{#canReject}}<form method="post" action="{{actionPath}}/reject"><input type="hidden" name="csrf" value="{{csrf}}"><input type="text" name="reason" required placeholder="why" aria-label="reason"> <button type="submit">reject</button></form>{{/canReject}}
        {{#canRetry}}<form method="post" action="{{actionPath}}/retry"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">retry</button></form>{{/canRetry}}
        {{#canCancel}}<form method="post" action="{{actionPath}}/cancel"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">cancel</button></form>{{/canCancel}}
        {{#canPrioritize}}<form method="post" action="{{actionPath}}/priority"><input type="hidden" name="csrf" value="{{csrf}}"><input type="number" step="any" name="priority" required aria-label="priority"> <button type="submit">set priority</button></form>{{/canPrioritize}}
        </div>{{/controls}}
        {{#viewer}}<p class="viewer">Signed in as {{viewer}}.</p>{{/viewer}}
        <h2>Audit log</h2>
        {{^audit}}<p>No action taken on this build.</p>{{/audit}}
        {{#hasAudit}}<table id="audit"><tr><th>when</th><th>who</th><th>action</th><th>detail</th></tr>
        {{#audit}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{detail}}</td></tr>{{/audit}}
        </table>{{/hasAudit}}
        <h2>Depends on</h2>
        {{^dependencies}}<p>No builds.</p>{{/dependencies}}
        <ul>{{#dependencies}}<li class="state-{{stateName}}">{{> buildlink}} ({{state}})</li>{{/dependencies}}</ul>
        <h2>Packages</h2>
        {{^packages}}<p>No package facts (source: {{factsSource}}).</p>{{/packages}}
        {{#packages}}<table class="package">
        <tr><th>file</th><td>{{filename}}</td></tr>
        <tr><th>package</th><td>{{name}} {{version}} {{arch}}</td></tr>
        {{#desc}}<tr><th>description</th><td class="desc">{{desc}}</td></tr>{{/desc}}
        {{#url}}<tr><th>url</th><td>{{url}}</td></tr>{{/url}}
        <tr><th>size</th><td>{{size}}{{#installedSize}}, installed {{installedSize}}{{/installedSize}}</td></tr>
        {{#licenses}}<tr><th>licenses</th><td>{{licenses}}</td></tr>{{/licenses}}
        {{#depends}}<tr><th>depends</th><td>{{depends}}</td></tr>{{/depends}}
        {{#optDepends}}<tr><th>optdepends</th><td>{{optDepends}}</td></tr>{{/optDepends}}
        {{#provides}}<tr><th>provides</th><td>{{provides}}</td></tr>{{/provides}}
        {{#conflicts}}<tr><th>conflicts</th><td>{{conflicts}}</td></tr>{{/conflicts}}
        <tr><th>sha256</th><td><code>{{sha256}}</code></td></tr>
        </table>{{/packages}}
        <h2>Log</h2>
        {{^hasLog}}<p>No log readable here{{#live}} yet{{/live}} (source: {{logSource}}).</p>{{/hasLog}}
        {{#hasLog}}<p><a href="{{rawLogPath}}">whole log as text</a>{{#logCut}}; the first {{logCut}} bytes are left out here{{/logCut}}</p>{{/hasLog}}
        <pre class="log" id="log"{{#live}} data-stream="{{streamPath}}"{{/live}}>{{log}}</pre>
        {{#live}}<p id="live">Building: the log follows as it grows (with JavaScript; without, reload the page).</p>
        <script src="/assets/follow-log.js"></script>{{/live}}
        {{> foot}}
        """

    /// A set's members and what holds it (the queue page and the set's page).
    static let setMembers = """
        <table class="members">
        <tr><th>build</th><th>role</th><th>state</th><th>in the set</th>{{#controls}}<th></th>{{/controls}}</tr>
        {{#members}}<tr class="member">{{#build}}<td>{{> buildlink}}</td>{{/build}}<td>{{role}}</td>{{#build}}<td class="state-{{stateName}}">{{state}}</td>{{/build}}<td class="standing">{{standing}}{{#live}}{{#approved}}, approved{{/approved}}{{/live}}</td>{{#controls}}<td>{{#live}}<form method="post" action="{{actionPath}}/drop"><input type="hidden" name="csrf" value="{{csrf}}">{{#build}}<input type="hidden" name="build" value="{{id}}">{{/build}}<button type="submit" class="drop">drop</button></form>{{/live}}</td>{{/controls}}</tr>
        {{/members}}</table>
        {{#isOpen}}{{#hasHolds}}<p class="holds">Held by: {{#holds}}<span class="hold"><a href="/builds/{{id}}">{{label}}</a>: {{reason}}</span>; {{/holds}}</p>{{/hasHolds}}{{^hasHolds}}<p class="holds">Nothing holds it: it is published with its last approval, or now.</p>{{/hasHolds}}{{/isOpen}}
        """

    static let set = """
        {{> head}}<h1>Set {{id}} ({{state}})</h1>
        <p id="reason">{{reason}}</p>
        {{> setmembers}}
        {{#controls}}<h2>Publish</h2>
        <div id="controls">
        {{#canPublish}}<form method="post" action="{{actionPath}}/publish"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" id="publish">publish the set</button></form>{{/canPublish}}
        {{#canPublishClosed}}<form method="post" action="{{actionPath}}/publish"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="closed" value="true"><button type="submit" id="publish-closed">publish the part closed under dependencies</button></form>{{/canPublishClosed}}
        </div>{{/controls}}
        <h2>Audit log</h2>
        {{^audit}}<p>No action taken on this set.</p>{{/audit}}
        {{#hasAudit}}<table id="audit"><tr><th>when</th><th>who</th><th>action</th><th>detail</th></tr>
        {{#audit}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{action}}</td><td>{{detail}}</td></tr>{{/audit}}
        </table>{{/hasAudit}}
        {{> foot}}
        """

    static let package = """
        {{> head}}<h1>{{package}}</h1>
        <h2>Builds</h2>
        <table id="history">
        <tr><th>build</th><th>version</th><th>state</th><th>worker</th><th>started</th><th>duration</th><th>reason</th></tr>
        {{#builds}}<tr><td><a href="/builds/{{id}}">#{{id}}</a></td><td>{{version}}</td><td class="state-{{stateName}}">{{state}}</td><td>{{worker}}</td><td>{{started}}</td><td>{{duration}}</td><td>{{reason}}</td></tr>
        {{/builds}}</table>
        <h2>Rejected versions</h2>
        {{^marks}}<p>None.</p>{{/marks}}
        <ul>{{#marks}}<li>{{version}}: {{reason}} ({{marked}})</li>{{/marks}}</ul>
        {{> foot}}
        """

    static let login = """
        {{> head}}<h1>Sign in</h1>
        {{#problem}}<p class="stale" id="problem">{{problem}}</p>{{/problem}}
        {{#noAccounts}}<p>No accounts are configured: add one to <code>[web] users</code> with <code>pacbuild web passwd NAME</code>.</p>{{/noAccounts}}
        <form method="post" action="/login">
        <p><label>name <input type="text" name="name" autocomplete="username" required></label></p>
        <p><label>password <input type="password" name="password" autocomplete="current-password" required></label></p>
        <p><button type="submit">sign in</button></p>
        </form>
        {{#publicPages}}<p>The pages are public; signing in lets a maintainer review and control builds.</p>{{/publicPages}}
        {{> foot}}
        """

    static let refused = """
        {{> head}}<h1>{{title}}</h1>
        <p id="refused">{{reason}}</p>
        <p><a href="{{backPath}}">back to the {{backName}}</a></p>
        {{> foot}}
        """
}
