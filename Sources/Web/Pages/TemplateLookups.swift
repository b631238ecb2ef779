import Mustache

// The views the queue page renders by the hundred answer the templates' lookups by name
// (`MustacheParent`) instead of through swift-mustache's default, a `Mirror` of the value
// made again for every `{{name}}`: with 600 rows that reflection was 80% of the page's
// time. A field added to one of these types must be added here too;
// `PageTests.lookupsAnswerEveryField` compares each with its Mirror.

extension BuildRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "label": label
        case "package": package
        case "packageLink": packageLink
        case "version": version
        case "state": state
        case "stateName": stateName
        case "failure": failure
        case "reason": reason
        case "worker": worker
        case "priority": priority
        case "tags": tags
        case "started": started
        case "finished": finished
        case "duration": duration
        default: nil
        }
    }
}

extension QueueView.Waiting: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "build": build
        case "on": on
        default: nil
        }
    }
}

extension QueueView.Blocked: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "build": build
        case "chain": chain
        default: nil
        }
    }
}

extension QueueView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "ready": ready
        case "waiting": waiting
        case "blocked": blocked
        case "sets": sets
        case "setCount": setCount
        case "readyCount": readyCount
        case "waitingCount": waitingCount
        case "blockedCount": blockedCount
        case "from": from
        case "previous": previous
        case "next": next
        case "pageSize": pageSize
        default: nil
        }
    }
}

extension PageContext: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "signedIn": signedIn
        default: nil
        }
    }
}
