"""What every page and API operation must answer to every role: written by hand.

Written from the README ("A short tour"), docs/users/*.md and the role matrix defaults, never
read from the permission code it tests. Columns, in order (see ``world.ROLES``):

    anon  admin  coordinator  officer  viewer  partner  trainer  immigration  consul  ministry

Demo users: admin (directorate, whole deployment), coordinator (directorate and its branches),
officer (Amman branch), viewer (Irbid branch), partner (the NGO), trainer (IOM), immigration (a
coordinator at the immigration department, whole deployment, never people's data), consul (an
officer at the embassy in Amman), ministry (a coordinator at the foreign ministry and its posts).

A cell is one answer, or "A/B" for a URL that names an object: the answer about the Amman
side's object / the other side's (see ``world.py``). Answers:

    ok   2xx, or a redirect that is not to a log-in page (a POST that did its work)
    clean  2xx, and the page does not show the row's ``marker`` (another organisation's data)
    L    a redirect to a log-in page
    no   refused, 403 or 404 either way (the role lacks the right to the action)
    400, 401, 403, 404, 405, 409, 422   exactly that status (404: the object is hidden; 400, 409
         and 422: the role may, and the data or the object's state was refused)

A row whose current answer is wrong keeps the right answer and names the hole in ``holes``:
``{(role, side): "hole: ..."}`` (side "A", "B" or "" for URLs without an object). Those cases
are expected to fail (strict xfail) until the hole is fixed; then delete the entry.

To add a URL: add a row to PAGES (or API for an operation of /api/openapi.json) with its
pattern exactly as ``test_every_url_is_in_the_table`` prints it, a URL to ask (``{kind}``
names an object of ``world.build``), the method, and one cell per role. ``only`` limits a
row to some roles: kept for slow public resources that are the same for everyone.
"""

from dataclasses import dataclass, field


@dataclass
class Row:
    pattern: str  # the URL pattern (pages) or "METHOD /api/path" (API operations)
    url: str  # what to ask; {kind} is replaced by the id of that kind's A or B object
    method: str
    cells: str  # ten answers, one per role
    holes: dict = field(default_factory=dict)
    data: object = None  # POST/PUT body (form data for pages, JSON for the API)
    marker: str = ""  # text that a "clean" answer must not contain
    only: tuple = ()  # ask only these roles (slow public resources, the same for everyone); say why


@dataclass
class Upload:
    """A multipart body for an API operation that takes a file (the imports)."""

    name: str
    content: bytes
    fields: dict = field(default_factory=dict)


# URL patterns not asked, each with its reason.
EXCLUDED = {
    "admin/": "Django's admin site, for superusers only: its own is_staff check; the index row below asks it as every role",
}


# fmt: off
#        anon admin coord officer viewer partner trainer immig consul ministry
STAFF = "L ok ok ok ok ok ok ok ok ok"
PUBLIC = "ok ok ok ok ok ok ok ok ok ok"
ALL_400 = "400 400 400 400 400 400 400 400 400 400"
ALL_404 = "404 404 404 404 404 404 404 404 404 404"
ADMIN_ONLY = "L ok 403 403 403 403 403 403 403 403"
# Areas, as the README and docs/users describe them (never the code):
CONTACTS_VIEW = STAFF
REGISTRY_CHANGE = "L ok ok ok 403 403 403 ok ok ok"          # coordinator, officer roles; viewer, partner, trainer read only
REGISTRY_EXPORT = "L ok ok 403 403 403 403 ok 403 ok"        # coordinators export; officers do not
COMMUNITIES_VIEW = "L ok ok ok ok 403 ok ok ok ok"            # a partner sees contacts and interpreters only
COMMUNITIES_EXPORT = "L ok ok 403 403 403 ok ok 403 ok"       # the trainer exports community profiles
INTERPRETERS_VIEW = "L ok ok ok ok ok 403 ok ok ok"           # a trainer sees contacts, communities, advice
PEOPLE_VIEW = "L ok ok ok ok 403 403 ok ok ok"                # lists (empty where the scope holds no one)
PEOPLE_CHANGE = "L ok ok ok 403 403 403 403 ok ok"            # immigration never handles a person's record
PEOPLE_EXPORT = "L ok ok 403 403 403 403 ok 403 ok"            # immigration's file is empty
PUBLISHING_VIEW = "L ok ok ok ok 403 403 ok ok ok"
PUBLISHING_CHANGE = "L ok ok ok 403 403 403 ok ok ok"
ADVICE_VIEW = "L ok ok ok ok 403 ok ok ok ok"
ADVICE_CHANGE = "L ok ok ok 403 403 403 403 ok ok"           # travel advice is the foreign service's: never immigration's
ORGS_VIEW = "L ok ok ok 403 403 403 ok ok ok"
# Objects (A/B):
CONTACT_READ = "L ok/ok ok/404 ok/404 404/404 404/ok 404/404 404/ok 404/404 404/404"   # immigration never an individual
CONTACT_WRITE = "L ok/ok ok/404 ok/404 no/no no/no no/no 404/ok 404/404 404/404"
CONTACT_EDIT = "L ok/ok ok/404 ok/404 no/no no/no no/no no/no 404/404 404/404"    # the form shows channels
CONTACT_VCARD = "L ok/ok ok/404 403/404 no/no no/no no/no 404/ok 404/404 404/404"  # a download: officers do not export
COMMUNITY_READ = "L ok/ok ok/404 ok/404 404/404 no/no 404/404 ok/ok 404/404 404/404"
COMMUNITY_WRITE = "L ok/ok ok/404 ok/404 no/no no/no no/no ok/ok 404/404 404/404"
INTERPRETER_WRITE = "L ok/ok ok/404 ok/404 no/no no/no no/no ok/ok 404/404 404/404"
INTERPRETER_EDIT = "L ok/ok ok/404 ok/404 no/no no/no no/no no/no 404/404 404/404"  # the form shows phone and email
PERSON_READ = "L ok/ok 404/404 404/404 404/404 no/no no/no 404/404 ok/404 ok/ok"
MANIFEST = "L ok/ok 404/404 404/404 no/no no/no no/no 404/404 ok/404 ok/ok"   # a viewer does not export
PERSON_WRITE = "L ok/ok 404/404 404/404 no/no no/no no/no no/no ok/404 ok/ok"
# Risk analysis: every staff role but the partner reads it; coordinators change the table of languages.
RISK_VIEW = "L ok ok ok ok 403 ok ok ok ok"
RISK_CHANGE = "L ok ok 403 403 403 403 ok 403 ok"
# Crises: B is led by Beirut and covers Jordan too, so the Amman post reads it (not its people).
CRISIS_READ = "L ok/ok 404/404 404/404 404/404 no/no no/no 404/404 ok/ok ok/ok"
CRISIS_WRITE = "L ok/ok 404/404 404/404 no/no no/no no/no no/no ok/no ok/ok"
CRISIS_WRITE_400 = "L 400/400 404/404 404/404 no/no no/no no/no no/no 400/no 400/400"  # empty data refused
# Advice: A is the ministry's Jordan advice, which the Amman post drafts (its country); the ministry approves.
ADVICE_READ = "L ok/ok 404/404 404/404 404/404 no/no 404/404 ok/ok ok/404 ok/ok"
ADVICE_WRITE = "L ok/ok 404/404 404/404 no/no no/no no/no 403/403 ok/404 ok/ok"
BRIEFING_WRITE = "L ok/ok 404/404 404/404 no/no no/no no/no 403/403 404/404 ok/ok"  # briefings stay the owner's
ALERT_READ = "L ok/ok ok/404 ok/404 404/404 no/no no/no ok/ok 404/404 404/404"
ALERT_WRITE = "L ok/ok ok/404 ok/404 no/no no/no no/no ok/ok 404/404 404/404"
SEND_READ = "L ok/ok ok/404 404/404 404/404 no/no no/no 404/404 404/ok 404/ok"
# Plans and checklists: every staff role but the partner reads them; officers and coordinators assess;
# coordinators export. A is the Amman branch's plan and assessment, B the NGO's.
PLANS_VIEW = "L ok ok ok ok 403 ok ok ok ok"
PLANS_CHANGE = "L ok ok ok 403 403 403 ok ok ok"
PLAN_READ = "L ok/ok ok/404 ok/404 404/404 no/no 404/404 ok/ok 404/404 404/404"
PLAN_WRITE = "L ok/ok ok/404 ok/404 no/no no/no no/no ok/ok 404/404 404/404"
PLAN_EXPORT = "L ok/ok ok/404 no/no no/no no/no no/no ok/ok no/no 404/404"  # officers do not export
PLAN_FORM_REFUSED = "L 400/400 400/404 400/404 no/no no/no no/no 400/400 404/404 404/404"  # an empty form: refused
# Training (docs/users/training.md): every staff role but the partner reads events; coordinators
# and trainers run them (change, export, see participants), officers and viewers read them masked.
# A is the Amman branch's event, B the IOM office's (the trainer's); immigration reads and runs both.
TRAINING_VIEW = "L ok ok ok ok 403 ok ok ok ok"
TRAINING_CHANGE = "L ok ok 403 403 403 ok ok 403 ok"
EVENT_READ = "L ok/ok ok/404 ok/404 404/404 no/no 404/ok ok/ok 404/404 404/404"
EVENT_WRITE = "L ok/ok ok/404 no/no no/no no/no 404/ok ok/ok no/no 404/404"
EVENT_EXPORT = "L ok/ok ok/404 no/no no/no no/no 404/ok ok/ok no/no 404/404"
TEMPLATE_EDIT = "L ok/ok 403/404 403/404 403/403 403/403 403/403 403/ok 403/404 403/404"
TEMPLATE_EDIT_400 = "L 400/400 403/404 403/404 403/403 403/403 403/403 403/400 403/404 403/404"  # a text no database stores (a null character)
RISK_EXPORT = "L ok ok 403 403 403 403 ok 403 ok"  # coordinators (and administrators) export
NO_FILE = "L 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404"  # none attached in the world
# fmt: on

# fmt: off
PAGES = [
    # Core: accounts and plumbing.
    Row("", "/", "GET", STAFF),
    Row("healthz", "/healthz", "GET", PUBLIC),
    Row("readyz", "/readyz", "GET", PUBLIC),  # readiness: no one's data, for monitoring (nginx keeps it local)
    Row("approvals/", "/approvals/", "GET", STAFF),  # each sees only what waits for them
    Row("account/", "/account/", "GET", STAFF),
    Row("account/login/", "/account/login/", "GET", PUBLIC),
    Row("account/logout/", "/account/logout/", "GET", "405 405 405 405 405 405 405 405 405 405"),
    Row("account/password/", "/account/password/", "GET", STAFF),
    Row("account/password/done/", "/account/password/done/", "GET", STAFF),
    Row("account/reset/", "/account/reset/", "GET", PUBLIC),
    Row("account/reset/sent/", "/account/reset/sent/", "GET", PUBLIC),
    Row("account/reset/<uidb64>/<token>/", "/account/reset/MQ/bad-token/", "GET", PUBLIC),
    Row("account/reset/done/", "/account/reset/done/", "GET", PUBLIC),
    Row("account/2fa/", "/account/2fa/", "GET", STAFF),
    Row("account/2fa/setup/", "/account/2fa/setup/", "GET", STAFF),
    Row("account/tokens/", "/account/tokens/", "POST", STAFF, data={"name": "matrix"}),
    # Only the token's own user revokes it (A: the officer's, B: the partner's).
    Row(
        "account/tokens/<id:pk>/revoke/",
        "/account/tokens/{token}/revoke/",
        "POST",
        "L 404/404 404/404 ok/404 404/404 404/ok 404/404 404/404 404/404 404/404",
    ),
    Row("audit/", "/audit/", "GET", "L ok ok 403 403 403 403 ok 403 ok"),
    # The audit trail of people's records is the posts' own: not the directorate's, nor immigration's.
    Row(
        "audit/",
        "/audit/?object_type=nationals.registration",
        "GET",
        "L ok clean 403 403 403 403 clean 403 ok",
        marker="<code>nationals.registration</code>",
    ),
    Row("settings/", "/settings/", "GET", ADMIN_ONLY),
    Row("organisations/", "/organisations/", "GET", ORGS_VIEW),
    Row("organisations/new/", "/organisations/new/", "GET", ADMIN_ONLY),
    Row("organisations/<id:pk>/", "/organisations/{organisation}/", "GET", "L ok/ok no/no no/no no/no no/no no/no no/no no/no no/no"),
    Row("staff/", "/staff/", "GET", ORGS_VIEW),
    Row("staff/new/", "/staff/new/", "GET", ADMIN_ONLY),
    Row("staff/<id:pk>/", "/staff/{staff}/", "GET", "L ok/ok no/no no/no no/no no/no no/no no/no no/no no/no"),
    Row("i18n/setlang/", "/i18n/setlang/", "POST", PUBLIC, data={"language": "fr", "next": "/"}),
    Row("media/<path:path>", "/media/nothing-here.txt", "GET", "404 404 404 404 404 404 404 404 404 404"),
    Row("admin/", "/admin/", "GET", "L ok L L L L L L L L"),
    # The schema takes seconds to build and is the same for everyone.
    Row("api/openapi.json", "/api/openapi.json", "GET", PUBLIC, only=("anon", "partner")),
    Row("api/docs", "/api/docs", "GET", PUBLIC),
    Row("api/", "/api/", "GET", "404 404 404 404 404 404 404 404 404 404"),
    # Key contacts: A an individual of the Amman branch, B the NGO's own organisation entry.
    # Roles without the right to people's details see the list with the channels masked.
    Row("contacts/", "/contacts/", "GET", "L ok ok ok clean clean clean clean ok ok", marker="@example.org"),
    Row("contacts/new/", "/contacts/new/", "GET", REGISTRY_CHANGE),
    Row("contacts/reverify/", "/contacts/reverify/", "GET", CONTACTS_VIEW),
    Row("contacts/export/", "/contacts/export/", "GET", REGISTRY_EXPORT),
    Row("contacts/import/", "/contacts/import/", "GET", REGISTRY_CHANGE),
    Row("contacts/vcards/", "/contacts/vcards/", "GET", REGISTRY_EXPORT),
    Row("contacts/<id:pk>/", "/contacts/{contact}/", "GET", CONTACT_READ),
    Row("contacts/<id:pk>/edit/", "/contacts/{contact}/edit/", "GET", CONTACT_EDIT),
    Row("contacts/<id:pk>/delete/", "/contacts/{contact}/delete/", "POST", CONTACT_WRITE),
    Row("contacts/<id:pk>/verified/", "/contacts/{contact}/verified/", "POST", CONTACT_WRITE),
    Row("contacts/<id:pk>/vcard/", "/contacts/{contact}/vcard/", "GET", CONTACT_VCARD),
    # Community profiles: A of the Amman branch, B of the NGO.
    Row("communities/", "/communities/", "GET", COMMUNITIES_VIEW),
    Row("communities/new/", "/communities/new/", "GET", REGISTRY_CHANGE),
    Row("communities/export/", "/communities/export/", "GET", COMMUNITIES_EXPORT),
    Row("communities/import/", "/communities/import/", "GET", REGISTRY_CHANGE),
    Row("communities/xlsform/", "/communities/xlsform/", "GET", COMMUNITIES_VIEW),
    Row("communities/<id:pk>/", "/communities/{community}/", "GET", COMMUNITY_READ),
    Row("communities/<id:pk>/edit/", "/communities/{community}/edit/", "GET", COMMUNITY_WRITE),
    Row("communities/<id:pk>/delete/", "/communities/{community}/delete/", "POST", COMMUNITY_WRITE),
    Row("communities/<id:pk>/versions/", "/communities/{community}/versions/", "GET", COMMUNITY_READ),
    Row("communities/<id:pk>/versions/<id:number>/", "/communities/{community}/versions/1/", "GET", COMMUNITY_READ),
    Row("communities/<id:pk>/compare/", "/communities/{community}/compare/", "GET", COMMUNITY_READ),
    # Interpreters: A of the Amman branch, B of the NGO.
    Row("interpreters/", "/interpreters/", "GET", "L ok ok ok clean clean 403 clean ok ok", marker="matrix-interpreter-"),
    Row("interpreters/new/", "/interpreters/new/", "GET", REGISTRY_CHANGE),
    Row("interpreters/search/", "/interpreters/search/", "GET", INTERPRETERS_VIEW),
    Row("interpreters/export/", "/interpreters/export/", "GET", REGISTRY_EXPORT),
    Row("interpreters/import/", "/interpreters/import/", "GET", REGISTRY_CHANGE),
    # Roles without the right to people's details (immigration, the partner) do not see an interpreter's email;
    # organisations whose jurisdiction covers the interpreter's area read the record, never the email.
    Row(
        "interpreters/<id:pk>/",
        "/interpreters/{interpreter}/",
        "GET",
        "L ok/ok ok/clean ok/404 404/404 clean/clean no/no clean/clean clean/clean clean/clean",
        marker="matrix-interpreter-",
    ),
    Row("interpreters/<id:pk>/edit/", "/interpreters/{interpreter}/edit/", "GET", INTERPRETER_EDIT),
    Row("interpreters/<id:pk>/delete/", "/interpreters/{interpreter}/delete/", "POST", INTERPRETER_WRITE),
    Row("interpreters/<id:pk>/deployments/", "/interpreters/{interpreter}/deployments/", "POST", INTERPRETER_WRITE),
    # Nationals abroad: A registered with the Amman post, B with the Beirut post.
    Row("nationals/", "/nationals/", "GET", PEOPLE_VIEW),
    Row("nationals/new/", "/nationals/new/", "GET", PEOPLE_CHANGE),
    Row("nationals/export/", "/nationals/export/", "GET", PEOPLE_EXPORT),
    Row("nationals/duplicates/", "/nationals/duplicates/", "GET", PEOPLE_VIEW),
    Row("nationals/duplicates/merge/", "/nationals/duplicates/merge/", "POST", PEOPLE_CHANGE),
    Row("nationals/duplicates/<id:a>/<id:b>/", "/nationals/duplicates/{registration}/{twin}/", "GET", PERSON_READ),
    Row("nationals/duplicates/<id:a>/<id:b>/distinct/", "/nationals/duplicates/{registration}/{twin}/distinct/", "POST", PERSON_WRITE),
    Row("nationals/duplicates/merges/<id:pk>/", "/nationals/duplicates/merges/{merge}/", "GET", PERSON_READ),
    Row("nationals/duplicates/merges/<id:pk>/undo/", "/nationals/duplicates/merges/{merge}/undo/", "POST", PERSON_WRITE),
    Row("nationals/posts/", "/nationals/posts/", "GET", PEOPLE_VIEW),
    Row(
        "nationals/posts/<id:pk>/edit/",
        "/nationals/posts/{post}/edit/",
        "GET",
        "L ok/ok no/no no/no no/no no/no no/no no/no ok/no ok/ok",
    ),
    Row("nationals/<id:pk>/", "/nationals/{registration}/", "GET", PERSON_READ),
    Row("nationals/<id:pk>/edit/", "/nationals/{registration}/edit/", "GET", PERSON_WRITE),
    Row("nationals/<id:pk>/delete/", "/nationals/{registration}/delete/", "POST", PERSON_WRITE),
    Row("nationals/<id:pk>/renew/", "/nationals/{registration}/renew/", "POST", PERSON_WRITE),
    # Crises: A led by the Amman post; B led by Beirut, covering Jordan too.
    Row("crises/", "/crises/", "GET", PEOPLE_VIEW),
    Row("crises/new/", "/crises/new/", "GET", PEOPLE_CHANGE),
    Row("crises/<id:pk>/", "/crises/{crisis}/", "GET", CRISIS_READ),
    Row("crises/<id:pk>/edit/", "/crises/{crisis}/edit/", "GET", CRISIS_WRITE),
    Row("crises/<id:pk>/close/", "/crises/{crisis}/close/", "POST", CRISIS_WRITE),
    Row("crises/<id:pk>/campaigns/", "/crises/{crisis}/campaigns/", "POST", CRISIS_WRITE_400),
    Row("crises/<id:pk>/register/<str:token>/", "/crises/{crisis}/register/{crisis_token}/", "GET", PUBLIC),
    Row("crises/proposals/<id:pk>/", "/crises/proposals/{proposal}/", "POST", PERSON_WRITE),
    # The Amman post reads the board of B, not the Beirut post's people on it.
    Row(
        "crises/campaigns/<id:pk>/",
        "/crises/campaigns/{campaign}/?post={beirut}",
        "GET",
        "L ok/ok 404/404 404/404 404/404 no/no no/no 404/404 clean/clean ok/ok",
        marker="Beirutonly",
    ),
    # The board's live part (what its script fetches every 20 s): the same answers as the board.
    Row(
        "crises/campaigns/<id:pk>/live/",
        "/crises/campaigns/{campaign}/live/?post={beirut}",
        "GET",
        "L ok/ok 404/404 404/404 404/404 no/no no/no 404/404 clean/clean ok/ok",
        marker="Beirutonly",
    ),
    Row(
        "crises/campaigns/<id:pk>/export/",
        "/crises/campaigns/{campaign}/export/?post={beirut}",
        "GET",
        "L ok/ok 404/404 404/404 no/no no/no no/no no/no clean/clean ok/ok",
        marker="Beirutonly",
    ),
    Row(
        "crises/campaigns/<id:pk>/answer/<id:request_pk>/",
        "/crises/campaigns/{campaign}/answer/{checkin}/",
        "POST",
        "L ok/ok 404/404 404/404 no/no no/no no/no no/no ok/404 ok/ok",
        data={"status": "safe"},
    ),
    # Evacuation of crisis A and B; B's people are the Beirut post's.
    Row("evacuation/", "/evacuation/", "GET", PEOPLE_VIEW),
    Row("evacuation/crises/<id:pk>/", "/evacuation/crises/{crisis}/", "GET", CRISIS_READ),
    Row(
        "evacuation/crises/<id:pk>/unassigned/",
        "/evacuation/crises/{crisis}/unassigned/",
        "GET",
        "L ok/ok 404/404 404/404 404/404 no/no no/no 404/404 clean/clean ok/ok",
        marker="Beirutonly",
    ),
    Row("evacuation/crises/<id:pk>/assign/", "/evacuation/crises/{crisis}/assign/", "POST", CRISIS_WRITE_400),
    Row("evacuation/crises/<id:pk>/assign-area/", "/evacuation/crises/{crisis}/assign-area/", "POST", CRISIS_WRITE_400),
    Row("evacuation/crises/<id:pk>/children/", "/evacuation/crises/{crisis}/children/", "GET", CRISIS_READ),
    Row("evacuation/crises/<id:crisis_pk>/points/new/", "/evacuation/crises/{crisis}/points/new/", "GET", CRISIS_WRITE),
    Row("evacuation/crises/<id:crisis_pk>/transports/new/", "/evacuation/crises/{crisis}/transports/new/", "GET", CRISIS_WRITE),
    Row("evacuation/points/<id:pk>/", "/evacuation/points/{point}/", "GET", PERSON_READ),
    Row("evacuation/points/<id:pk>/edit/", "/evacuation/points/{point}/edit/", "GET", PERSON_WRITE),
    # Messaging everyone at a point is running its evacuation: those who may change the crisis.
    Row("evacuation/points/<id:pk>/message/", "/evacuation/points/{point}/message/", "GET", PERSON_WRITE),
    Row(
        "evacuation/points/<id:pk>/message/",
        "/evacuation/points/{point}/message/",
        "POST",
        "L 400/400 404/404 404/404 no/no no/no no/no no/no 400/404 400/400",  # no text: refused, nothing sent
        data={"who": "assigned", "action": "send"},
    ),
    Row("evacuation/points/<id:pk>/manifest.<str:fmt>", "/evacuation/points/{point}/manifest.csv", "GET", MANIFEST),
    # The printable page of the same manifest (with the sign-off line): the same answers as its files.
    Row("evacuation/points/<id:pk>/manifest.<str:fmt>", "/evacuation/points/{point}/manifest.html", "GET", MANIFEST),
    Row("evacuation/transports/<id:pk>/", "/evacuation/transports/{transport}/", "GET", PERSON_READ),
    Row("evacuation/transports/<id:pk>/edit/", "/evacuation/transports/{transport}/edit/", "GET", PERSON_WRITE),
    Row("evacuation/transports/<id:pk>/manifest.<str:fmt>", "/evacuation/transports/{transport}/manifest.csv", "GET", MANIFEST),
    # The printable page of the same manifest (with the sign-off line): the same answers as its files.
    Row("evacuation/transports/<id:pk>/manifest.<str:fmt>", "/evacuation/transports/{transport}/manifest.html", "GET", MANIFEST),
    Row("evacuation/evacuees/<id:pk>/status/", "/evacuation/evacuees/{evacuee}/status/", "POST", PERSON_WRITE, data={"status": "confirmed"}),
    Row("evacuation/children/<id:pk>/", "/evacuation/children/{checklist}/", "GET", PERSON_READ),
    # Cases: A of the Amman post, B of the Beirut post.
    Row("cases/", "/cases/", "GET", PEOPLE_VIEW),
    Row("cases/new/", "/cases/new/", "GET", PEOPLE_CHANGE),
    Row("cases/dashboard/", "/cases/dashboard/", "GET", PEOPLE_VIEW),
    Row("cases/teams/", "/cases/teams/", "GET", PEOPLE_VIEW),
    Row("cases/teams/new/", "/cases/teams/new/", "GET", PEOPLE_CHANGE),
    Row(
        "cases/teams/<id:pk>/",
        "/cases/teams/{team}/",
        "GET",
        PERSON_WRITE,
    ),
    Row("cases/<id:pk>/", "/cases/{case}/", "GET", PERSON_READ),
    Row("cases/<id:pk>/photo/", "/cases/{case}/photo/", "GET", "L 404/404 404/404 404/404 no/no no/no no/no 404/404 404/404 404/404"),
    Row("cases/<id:pk>/triage/", "/cases/{case}/triage/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/assign/", "/cases/{case}/assign/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/status/", "/cases/{case}/status/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/notes/", "/cases/{case}/notes/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/messages/", "/cases/{case}/messages/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/refer/", "/cases/{case}/refer/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/referral/", "/cases/{case}/referral/", "POST", PERSON_WRITE),
    Row("cases/<id:pk>/merge/", "/cases/{case}/merge/", "POST", PERSON_WRITE),
    # Travel advice: A the ministry's advice for Jordan, B a regional advice of the Beirut post.
    Row("advice/", "/advice/", "GET", PUBLIC),
    Row("advice/manage/", "/advice/manage/", "GET", ADVICE_VIEW),
    Row("advice/manage/new/", "/advice/manage/new/", "GET", ADVICE_CHANGE),
    Row("advice/manage/<id:pk>/", "/advice/manage/{advice}/", "GET", ADVICE_READ),
    Row("advice/manage/<id:pk>/draft/", "/advice/manage/{advice}/draft/", "POST", ADVICE_WRITE),
    Row("advice/manage/<id:pk>/compare/", "/advice/manage/{advice}/compare/", "GET", ADVICE_READ),
    Row("advice/manage/versions/<id:pk>/", "/advice/manage/versions/{version}/", "GET", ADVICE_READ),
    Row("advice/manage/versions/<id:pk>/edit/", "/advice/manage/versions/{version}/edit/", "GET", ADVICE_WRITE),
    Row("advice/manage/versions/<id:pk>/<slug:action>/", "/advice/manage/versions/{version}/submit/", "POST", ADVICE_WRITE),
    Row("advice/manage/briefings/new/", "/advice/manage/briefings/new/", "GET", ADVICE_CHANGE),
    Row("advice/manage/briefings/<id:pk>/", "/advice/manage/briefings/{briefing}/", "GET", BRIEFING_WRITE),
    Row("advice/confirm/<str:token>/", "/advice/confirm/not-a-token/", "GET", ALL_400),
    Row("advice/unsubscribe/<str:token>/", "/advice/unsubscribe/not-a-token/", "GET", PUBLIC),
    Row("advice/^(?P<code>[A-Za-z]{2})/$", "/advice/jo/", "GET", PUBLIC),
    Row("advice/^(?P<code>[A-Za-z]{2})/briefing/$", "/advice/jo/briefing/", "GET", PUBLIC),
    # A PDF takes a second to draw and is the same for everyone.
    Row("advice/^(?P<code>[A-Za-z]{2})/briefing\\.pdf$", "/advice/jo/briefing.pdf", "GET", PUBLIC, only=("anon", "partner")),
    Row("advice/^(?P<code>[A-Za-z]{2})/subscribe/$", "/advice/jo/subscribe/", "POST", ALL_400, data={"email": "matrix@example.org"}),
    # Alerts: A the Amman branch's published flood alert, B a draft of the NGO.
    Row("alerts/", "/alerts/", "GET", PUBLISHING_VIEW),
    Row("alerts/new/", "/alerts/new/", "GET", PUBLISHING_CHANGE),
    Row("alerts/import/", "/alerts/import/", "GET", PUBLISHING_CHANGE),
    Row("alerts/<id:pk>/", "/alerts/{alert}/", "GET", ALERT_READ),
    Row("alerts/<id:pk>/edit/", "/alerts/{alert}/edit/", "GET", ALERT_WRITE),
    Row("alerts/<id:pk>/submit/", "/alerts/{alert}/submit/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/approve/", "/alerts/{alert}/approve/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/override/", "/alerts/{alert}/override/", "POST", "L 400/400 400/404 400/404 no/no no/no no/no 400/400 404/404 404/404"),
    Row("alerts/<id:pk>/return/", "/alerts/{alert}/return/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/delete/", "/alerts/{alert}/delete/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/send/", "/alerts/{alert}/send/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/send/", "/alerts/{alert}/send/", "GET", ALERT_WRITE),  # the preview before sending
    Row("alerts/<id:pk>/<str:kind>/", "/alerts/{alert}/update/", "POST", ALERT_WRITE),
    Row("alerts/<id:pk>/cap.xml", "/alerts/{alert}/cap.xml", "GET", ALERT_READ),
    Row("alerts/feeds/", "/alerts/feeds/", "GET", PUBLISHING_VIEW),
    Row("alerts/feeds/<id:pk>/", "/alerts/feeds/{feed}/", "GET", ALERT_READ),
    Row("alerts/feeds/<id:pk>/poll/", "/alerts/feeds/{feed}/poll/", "POST", ALERT_WRITE),
    Row("alerts/public/", "/alerts/public/", "GET", PUBLIC),
    # Only a published alert is public: B is a draft.
    Row("alerts/public/<id:pk>/", "/alerts/public/{alert}/", "GET", "ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404"),
    Row("alerts/feed.atom", "/alerts/feed.atom", "GET", PUBLIC),
    Row("alerts/cap/<id:pk>.xml", "/alerts/cap/{alert}.xml", "GET", "ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404 ok/404"),
    Row("alerts/cap/<path:identifier>.xml", "/alerts/cap/{alert_identifier}.xml", "GET", PUBLIC),
    # Messaging: A the directorate's send, B the Amman post's.
    Row("messaging/", "/messaging/", "GET", "L ok clean clean clean 403 403 clean ok ok", marker="Matrix send"),
    Row("messaging/new/", "/messaging/new/", "GET", PUBLISHING_CHANGE),
    Row("messaging/segments.json", "/messaging/segments.json?text=Flood", "GET", STAFF),
    # The directorate's failed deliveries are its own (and its branches' above it: none).
    Row(
        "messaging/dead-letters/",
        "/messaging/dead-letters/",
        "GET",
        "L ok ok clean clean 403 403 clean clean clean",
        marker="Number not reachable (demo)",  # the directorate's; a post's own failures say otherwise
    ),
    Row("messaging/<id:pk>/", "/messaging/{send}/", "GET", SEND_READ),
    Row("messaging/<id:pk>/counts.json", "/messaging/{send}/counts.json", "GET", SEND_READ),
    Row("messaging/subscribe/", "/messaging/subscribe/", "GET", PUBLIC),
    Row("messaging/subscribe/<str:token>/confirm/", "/messaging/subscribe/not-a-token/confirm/", "GET", ALL_404),
    Row("messaging/unsubscribe/<str:token>/", "/messaging/unsubscribe/not-a-token/", "GET", PUBLIC),
    # "Change my places": a signed link, public; a forged or expired token is a 404 for everyone, and changes nothing.
    Row("messaging/subscription/<str:token>/", "/messaging/subscription/{subscription_token}/", "GET", PUBLIC),
    Row("messaging/subscription/<str:token>/", "/messaging/subscription/not-a-token/", "GET", ALL_404),
    Row("messaging/subscription/<str:token>/", "/messaging/subscription/not-a-token/", "POST", ALL_404, data={"areas": "Amman", "languages": "en"}),
    # Gateway webhooks: only the gateway's shared secret opens them, never a session.
    Row("messaging/hooks/sms/receipt", "/messaging/hooks/sms/receipt", "POST", "403 403 403 403 403 403 403 403 403 403"),
    Row("messaging/hooks/sms/inbound", "/messaging/hooks/sms/inbound", "POST", "403 403 403 403 403 403 403 403 403 403"),
    # Plans and checklists: the shipped checklist is everyone's to read; plans and assessments their owners'.
    Row("risk/", "/risk/", "GET", RISK_VIEW),
    Row("risk/languages/", "/risk/languages/?country=PH", "GET", RISK_VIEW),
    Row("risk/languages/new/", "/risk/languages/new/", "GET", RISK_CHANGE),
    Row("risk/languages/<id:pk>/", "/risk/languages/{origin_language}/", "GET", RISK_CHANGE),
    Row("risk/gdacs/", "/risk/gdacs/", "GET", RISK_VIEW),
    Row("risk/gdacs/proposals/<id:pk>/", "/risk/gdacs/proposals/{gdacs_proposal}/", "POST", PERSON_WRITE, data={"do": "dismiss"}),
    Row("plans/", "/plans/", "GET", PLANS_VIEW),
    Row("plans/checklists/<id:pk>/", "/plans/checklists/{checklist_template}/", "GET", "L ok ok ok ok no ok ok ok ok"),
    Row("plans/register/", "/plans/register/", "GET", PLANS_VIEW),
    Row("plans/register/new/", "/plans/register/new/", "GET", PLANS_CHANGE),
    Row("plans/register/<id:pk>/", "/plans/register/{plan}/", "GET", PLAN_READ),
    Row("plans/register/<id:pk>/edit/", "/plans/register/{plan}/edit/", "GET", PLAN_WRITE),
    Row("plans/register/<id:pk>/document/", "/plans/register/{plan}/document/", "GET", NO_FILE),
    Row("plans/assessments/new/", "/plans/assessments/new/", "GET", PLANS_CHANGE),
    Row("plans/assessments/<id:pk>/", "/plans/assessments/{assessment}/", "GET", PLAN_READ),
    Row("plans/assessments/<id:pk>/sections/<id:number>/", "/plans/assessments/{assessment}/sections/1/", "GET", PLAN_READ),
    Row("plans/assessments/<id:pk>/sections/<id:number>/", "/plans/assessments/{assessment}/sections/1/", "POST", PLAN_WRITE, data={}),
    Row("plans/assessments/<id:pk>/complete/", "/plans/assessments/{assessment}/complete/", "POST", PLAN_WRITE),
    Row("plans/assessments/<id:pk>/export/", "/plans/assessments/{assessment}/export/", "GET", PLAN_EXPORT),
    Row("plans/assessments/<id:pk>/export/docx/", "/plans/assessments/{assessment}/export/docx/", "GET", PLAN_EXPORT),
    Row("plans/assessments/<id:pk>/export/pdf/", "/plans/assessments/{assessment}/export/pdf/", "GET", PLAN_EXPORT),
    Row("plans/assessments/<id:pk>/evidence/<id:answer>/", "/plans/assessments/{assessment}/evidence/{answer}/", "GET", NO_FILE),
    # Activating a phase of the lead post's consular plan on a crisis: whoever may change the crisis
    # (a crisis without such a plan, or a phase already activated, is refused with a message).
    Row("plans/crises/<id:crisis_pk>/phases/", "/plans/crises/{crisis}/phases/", "POST", CRISIS_WRITE, data={"phase": "precautionary"}),
    # Action items: my list and the list are everyone's with plans; an item is its organisation's
    # (and its named owner's); drills like plans.
    Row("plans/actions/", "/plans/actions/", "GET", PLANS_VIEW),
    Row("plans/actions/all/", "/plans/actions/all/", "GET", PLANS_VIEW),
    Row("plans/actions/new/", "/plans/actions/new/", "GET", PLANS_CHANGE),
    Row("plans/actions/<id:pk>/", "/plans/actions/{action}/", "GET", PLAN_READ),
    Row("plans/actions/<id:pk>/edit/", "/plans/actions/{action}/edit/", "GET", PLAN_WRITE),
    Row("plans/actions/<id:pk>/status/", "/plans/actions/{action}/status/", "POST", PLAN_WRITE, data={}),
    Row("plans/drills/", "/plans/drills/", "GET", PLANS_VIEW),
    Row("plans/drills/new/", "/plans/drills/new/", "GET", PLANS_CHANGE),
    Row("plans/drills/<id:pk>/", "/plans/drills/{drill}/", "GET", PLAN_READ),
    Row("plans/drills/<id:pk>/edit/", "/plans/drills/{drill}/edit/", "GET", PLAN_WRITE),
    Row("plans/drills/<id:pk>/findings/", "/plans/drills/{drill}/findings/", "POST", PLAN_FORM_REFUSED, data={}),
    Row("plans/coordination/", "/plans/coordination/", "GET", PLANS_VIEW),
    Row("plans/coordination/bodies/new/", "/plans/coordination/bodies/new/", "GET", PLANS_CHANGE),
    Row("plans/coordination/bodies/<id:pk>/", "/plans/coordination/bodies/{body}/", "GET", PLAN_READ),
    Row("plans/coordination/bodies/<id:pk>/edit/", "/plans/coordination/bodies/{body}/edit/", "GET", PLAN_WRITE),
    Row("plans/coordination/bodies/<id:pk>/meetings/", "/plans/coordination/bodies/{body}/meetings/", "POST", PLAN_FORM_REFUSED, data={}),
    Row("plans/coordination/meetings/<id:pk>/", "/plans/coordination/meetings/{meeting}/", "GET", PLAN_READ),
    Row("plans/coordination/meetings/<id:pk>/decisions/", "/plans/coordination/meetings/{meeting}/decisions/", "POST", PLAN_FORM_REFUSED, data={}),
    Row("plans/agreements/", "/plans/agreements/", "GET", PLANS_VIEW),
    Row("plans/agreements/new/", "/plans/agreements/new/", "GET", PLANS_CHANGE),
    Row("plans/agreements/<id:pk>/", "/plans/agreements/{agreement}/", "GET", PLAN_READ),
    Row("plans/agreements/<id:pk>/edit/", "/plans/agreements/{agreement}/edit/", "GET", PLAN_WRITE),
    # Plan documents (SOPs, consular contingency plans): their owners' scope, as the register.
    Row("plans/documents/", "/plans/documents/", "GET", PLANS_VIEW),
    Row("plans/documents/new/", "/plans/documents/new/", "GET", PLANS_CHANGE),
    Row("plans/documents/<id:pk>/", "/plans/documents/{plan_document}/", "GET", PLAN_READ),
    Row("plans/documents/<id:pk>/sections/<slug:key>/", "/plans/documents/{plan_document}/sections/purpose/", "GET", PLAN_READ),
    Row("plans/documents/<id:pk>/sections/<slug:key>/", "/plans/documents/{plan_document}/sections/purpose/", "POST", PLAN_WRITE, data={"text": "", "save": "1"}),
    Row("plans/documents/<id:pk>/preview/", "/plans/documents/{plan_document}/preview/", "GET", PLAN_READ),
    Row("plans/documents/<id:pk>/versions/", "/plans/documents/{plan_document}/versions/", "GET", PLAN_READ),
    Row("plans/documents/<id:pk>/export/", "/plans/documents/{plan_document}/export/?format=docx", "GET", PLAN_EXPORT),
    Row("plans/documents/<id:pk>/<slug:step>/", "/plans/documents/{plan_document}/submit/", "POST", PLAN_WRITE),
    # Capacity building: events, their agenda, participants, attendance and certificates.
    Row("training/", "/training/", "GET", TRAINING_VIEW),
    Row("training/events/new/", "/training/events/new/", "GET", TRAINING_CHANGE),
    Row("training/events/<id:pk>/", "/training/events/{event}/", "GET", EVENT_READ, marker="matrix-participant@example.org"),
    Row("training/events/<id:pk>/edit/", "/training/events/{event}/edit/", "GET", EVENT_WRITE),
    # An empty session is refused with the reason (a redirect back to the event, nothing added).
    Row("training/events/<id:pk>/sessions/", "/training/events/{event}/sessions/", "POST", EVENT_WRITE, data={}),
    Row("training/events/<id:pk>/participants.xlsx", "/training/events/{event}/participants.xlsx", "GET", EVENT_EXPORT),
    Row("training/events/<id:pk>/invite/", "/training/events/{event}/invite/", "GET", EVENT_WRITE),
    Row("training/events/<id:pk>/certificates/", "/training/events/{event}/certificates/", "POST", EVENT_WRITE),
    Row("training/events/<id:pk>/sessions/<id:session>/scan/", "/training/events/{event}/sessions/{session}/scan/", "GET", EVENT_WRITE),
    # A forged pass is refused with 409 and the reason; nothing is recorded.
    Row("training/events/<id:pk>/sessions/<id:session>/scan/", "/training/events/{event}/sessions/{session}/scan/", "POST", "L 409/409 409/404 no/no no/no no/no 404/409 409/409 no/no 404/404", data={"token": "forged"}),
    Row("training/events/<id:pk>/sessions/<id:session>/attendance/", "/training/events/{event}/sessions/{session}/attendance/", "GET", EVENT_WRITE),
    Row("training/events/<id:pk>/sessions/<id:session>/delete/", "/training/events/{event}/sessions/{session}/delete/", "GET", "L 405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405"),
    Row("training/participants/<id:pk>/cancel/", "/training/participants/{participant}/cancel/", "GET", "L 405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405 405/405"),
    # Issuing asks for the required attendance: refused with the reason (a redirect), nothing issued.
    Row("training/participants/<id:pk>/certificate/", "/training/participants/{participant}/certificate/", "POST", EVENT_WRITE),
    Row("training/certificates/<id:pk>/", "/training/certificates/{certificate}/", "GET", EVENT_READ),
    Row("training/certificates/<id:pk>/", "/training/certificates/{certificate}/", "POST", EVENT_WRITE, data={"reason": ""}),
    Row("training/certificates/<id:pk>/pdf/", "/training/certificates/{certificate}/pdf/", "GET", EVENT_READ, only=("admin", "coordinator", "viewer", "partner", "trainer")),
    # Public: the registration page, the calendar file, a participant's pass and the verification page,
    # each by an unguessable code or a signed pass; a sequential id or a forged pass is a 404.
    Row("training/e/<str:code>/", "/training/e/{event_code}/", "GET", PUBLIC),
    Row("training/e/<str:code>/", "/training/e/1/", "GET", ALL_404),
    Row("training/e/<str:code>/event.ics", "/training/e/{event_code}/event.ics", "GET", PUBLIC),
    Row("training/pass/<str:token>/", "/training/pass/{pass}/", "GET", PUBLIC),
    Row("training/pass/<str:token>/", "/training/pass/forged/", "GET", ALL_404),
    Row("training/pass/<str:token>/cancel/", "/training/pass/forged/cancel/", "POST", ALL_404),
    Row("training/pass/<str:token>/certificate.pdf", "/training/pass/{pass}/certificate.pdf", "GET", PUBLIC, only=("anon", "partner")),
    Row("training/verify/<str:code>/", "/training/verify/{certificate_code}/", "GET", PUBLIC),
    Row("training/verify/<str:code>/", "/training/verify/1/", "GET", ALL_404),
    # Editing checklists: a shipped one (A) is the administrator's alone; an organisation's own (B), whoever
    # changes plans in its scope. Drafts, sections and questions of a version the user may not edit: 403;
    # of a template they do not read: 404.
    Row("plans/checklists/<id:pk>/draft/", "/plans/checklists/{editable_template}/draft/", "POST", TEMPLATE_EDIT),
    Row("plans/versions/<id:pk>/", "/plans/versions/{draft}/", "GET", TEMPLATE_EDIT),
    Row("plans/versions/<id:pk>/publish/", "/plans/versions/{draft}/publish/", "POST", TEMPLATE_EDIT, data={"note": "matrix"}),
    Row("plans/versions/<id:pk>/discard/", "/plans/versions/{draft}/discard/", "POST", TEMPLATE_EDIT),
    Row("plans/versions/<id:version_pk>/sections/new/", "/plans/versions/{draft}/sections/new/", "GET", TEMPLATE_EDIT),
    Row("plans/versions/<id:version_pk>/sections/new/", "/plans/versions/{draft}/sections/new/", "POST", TEMPLATE_EDIT, data={"lang": "en", "title": "Matrix"}),
    Row("plans/sections/<id:pk>/edit/", "/plans/sections/{draft_section}/edit/", "GET", TEMPLATE_EDIT),
    Row("plans/sections/<id:pk>/move/", "/plans/sections/{draft_section}/move/", "POST", TEMPLATE_EDIT, data={"direction": "down"}),
    Row("plans/sections/<id:pk>/remove/", "/plans/sections/{draft_section}/remove/", "POST", TEMPLATE_EDIT),
    Row("plans/sections/<id:section_pk>/items/new/", "/plans/sections/{draft_section}/items/new/", "GET", TEMPLATE_EDIT),
    Row("plans/sections/<id:section_pk>/items/new/", "/plans/sections/{draft_section}/items/new/", "POST", TEMPLATE_EDIT, data={"lang": "es", "text": "Matriz"}),
    Row("plans/items/<id:pk>/edit/", "/plans/items/{draft_item}/edit/", "GET", TEMPLATE_EDIT),
    Row("plans/items/<id:pk>/edit/", "/plans/items/{draft_item}/edit/", "POST", TEMPLATE_EDIT_400, data={"lang": "fr", "text": "bad\x00text"}),
    Row("plans/items/<id:pk>/move/", "/plans/items/{draft_item}/move/", "POST", TEMPLATE_EDIT, data={"direction": "down"}),
    Row("plans/items/<id:pk>/remove/", "/plans/items/{draft_item}/remove/", "POST", TEMPLATE_EDIT),
    Row("risk/map/", "/risk/map/", "GET", RISK_VIEW),
    Row("risk/map/exposure.csv", "/risk/map/exposure.csv", "GET", RISK_EXPORT),
    Row("risk/map/exposure.xlsx", "/risk/map/exposure.xlsx", "GET", RISK_EXPORT),
    # The nationals' app shell.
    Row("app/", "/app/", "GET", PUBLIC),
    Row("app/manifest.webmanifest", "/app/manifest.webmanifest", "GET", PUBLIC),
    Row("app/sw.js", "/app/sw.js", "GET", PUBLIC),
    Row("app/icon-192.png", "/app/icon-192.png", "GET", PUBLIC),
    Row("app/icon-512.png", "/app/icon-512.png", "GET", PUBLIC),
]
# fmt: on

# API operations, asked with each role's bearer token (anon: none). The nationals' app
# operations take a device token, never a staff token.
#        anon admin coord officer viewer partner trainer immig consul ministry
DEVICE = "401 401 401 401 401 401 401 401 401 401"
OPEN = PUBLIC


INTERPRETER = {"full_name": "Matrix interpreter", "consent_stored": True}
NATIONAL = {"given_names": "Matrix", "nationality": "PH", "country": "JO"}
# Real bodies, so that the answer is about the role and not about an empty request.
CONTACTS_CSV = Upload(
    "contacts.csv", b"name,kind,category\nMatrix contact,organisation,faith\n", {"dry_run": "true"}
)
COMMUNITIES_CSV = Upload("communities.csv", b"name\nMatrix community\n", {"dry_run": "true"})
INTERPRETERS_CSV = Upload(
    "interpreters.csv", b"full_name,consent_stored\nMatrix interpreter,yes\n", {"dry_run": "true"}
)
CASE = {
    "category": "shelter",
    "summary": "Matrix case: a family needs a shelter tonight.",
    "contact_name": "Matrix person",
    "contact_phone": "+962791234567",
}
ALERT = {
    "info": [
        {
            "language": "en",
            "event": "Flood",
            "headline": "Matrix flood warning",
            "categories": ["Met"],
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Observed",
        }
    ],
    "area": {"area_desc": "Matrix valley", "circles": ["31.95,35.93 5"]},
}
STATIC_AUDIENCE = {
    "kind": "static",
    "recipients": [{"key": "matrix-1", "languages": ["en"], "addresses": {"email": "matrix@example.org"}}],
}
SEND = {
    "name": "Matrix send",
    "audience": STATIC_AUDIENCE,
    "texts": {"en": {"subject": "Matrix", "body": "Matrix message"}},
    "channels": ["email"],
}
PREVIEW = {"audience": STATIC_AUDIENCE, "texts": {"en": {"body": "Matrix message"}}, "channels": ["email"]}
CAP_MESSAGE = Upload(
    "matrix.xml",
    b"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>matrix-role-test-1</identifier><sender>matrix@example.org</sender>
  <sent>2026-12-01T10:00:00+00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>en</language><category>Met</category><event>Flood</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Observed</certainty><headline>Matrix flood</headline>
    <area><areaDesc>Matrix valley</areaDesc><circle>31.95,35.93 5</circle></area></info>
</alert>""",
)
CRISIS = {"name": "Matrix", "type": "natural_hazard", "country": "JO", "countries": ["JO"]}
# A place no one keeps advice for yet: the advice is made for the user's own organisation, with its first draft.
ADVICE_DRAFT = {
    "country": "LB",
    "region": "Matrix coast",
    "level": 2,
    "texts": [{"language": "en", "summary": "Matrix advice: avoid the coast road after dark."}],
}
ADVICE_SUBMIT = "401 409/ok 404/404 404/404 no/no no/no no/no 403/403 409/404 409/ok"
# A post never approves, nor does immigration (travel advice is never its to change).
ADVICE_APPROVE = "401 409/409 404/404 404/404 no/no no/no no/no 403/403 no/404 409/409"
ALERT_STATE = "401 409/409 409/404 409/404 no/no no/no no/no 409/409 404/404 404/404"


def _api(cells):
    """An area row for the API: anon gets 401 where a page sends to the log-in page."""
    first, rest = cells.split(" ", 1)
    return ("401 " + rest) if first == "L" else cells


# fmt: off
API = [
    Row("GET /api/app/checkins", "/api/app/checkins", "GET", DEVICE),
    Row("POST /api/app/checkins", "/api/app/checkins", "POST", DEVICE, data={}),
    Row("POST /api/app/status", "/api/app/status", "POST", DEVICE, data={}),
    Row("GET /api/app/posts", "/api/app/posts", "GET", OPEN),
    Row("POST /api/app/signin", "/api/app/signin", "POST", "422 422 422 422 422 422 422 422 422 422", data={}),
    Row("POST /api/app/signin/verify", "/api/app/signin/verify", "POST", "422 422 422 422 422 422 422 422 422 422", data={}),
    Row("GET /api/app/me", "/api/app/me", "GET", DEVICE),
    Row("POST /api/app/me", "/api/app/me", "POST", DEVICE, data={}),
    Row("PUT /api/app/me", "/api/app/me", "PUT", DEVICE, data={}),
    Row("DELETE /api/app/me", "/api/app/me", "DELETE", DEVICE),
    Row("POST /api/app/me/renew", "/api/app/me/renew", "POST", DEVICE, data={}),
    Row("GET /api/app/me/export", "/api/app/me/export", "GET", DEVICE),
    Row("GET /api/app/devices", "/api/app/devices", "GET", DEVICE),
    Row("DELETE /api/app/devices/{pk}", "/api/app/devices/1", "DELETE", DEVICE),
    Row("POST /api/app/consents", "/api/app/consents", "POST", DEVICE, data={}),
    Row("POST /api/app/requests", "/api/app/requests", "POST", DEVICE, data={}),
    Row("GET /api/app/requests", "/api/app/requests", "GET", DEVICE),
    Row("GET /api/app/requests/{request_id}", "/api/app/requests/{case}", "GET", DEVICE),
    Row("POST /api/app/requests/{request_id}/messages", "/api/app/requests/{case}/messages", "POST", DEVICE, data={}),
    Row("GET /api/app/advice/{code}", "/api/app/advice/jo", "GET", OPEN),
    Row("GET /api/app/advice/{code}/briefing", "/api/app/advice/jo/briefing", "GET", OPEN),
    Row("POST /api/app/advice/{code}/subscription", "/api/app/advice/jo/subscription", "POST", DEVICE, data={}),
    Row("DELETE /api/app/advice/{code}/subscription", "/api/app/advice/jo/subscription", "DELETE", DEVICE),
    Row("GET /api/app/config", "/api/app/config", "GET", OPEN),
    Row("POST /api/app/signout", "/api/app/signout", "POST", DEVICE, data={}),
    Row("POST /api/app/push", "/api/app/push", "POST", DEVICE, data={}),
    Row("POST /api/app/push/remove", "/api/app/push/remove", "POST", DEVICE, data={}),
    Row("GET /api/app/alerts", "/api/app/alerts", "GET", OPEN),
    # Registries.
    Row("GET /api/contacts", "/api/contacts", "GET", "401 ok ok ok clean clean clean clean ok ok", marker="@example.org"),
    Row("POST /api/contacts", "/api/contacts", "POST", _api(REGISTRY_CHANGE), data={"name": "Matrix contact"}),
    Row("GET /api/contacts/export", "/api/contacts/export", "GET", _api(REGISTRY_EXPORT)),
    Row("POST /api/contacts/import", "/api/contacts/import", "POST", _api(REGISTRY_CHANGE), data=CONTACTS_CSV),
    Row("GET /api/contacts/{pk}", "/api/contacts/{contact}", "GET", _api(CONTACT_READ)),
    Row("PUT /api/contacts/{pk}", "/api/contacts/{contact}", "PUT", _api(CONTACT_EDIT), data={"name": "Matrix contact"}),
    Row("DELETE /api/contacts/{pk}", "/api/contacts/{contact}", "DELETE", _api(CONTACT_WRITE)),
    Row("GET /api/communities", "/api/communities", "GET", _api(COMMUNITIES_VIEW)),
    Row("POST /api/communities", "/api/communities", "POST", _api(REGISTRY_CHANGE), data={"name": "Matrix community"}),
    Row("GET /api/communities/export", "/api/communities/export", "GET", _api(COMMUNITIES_EXPORT)),
    Row("POST /api/communities/import", "/api/communities/import", "POST", _api(REGISTRY_CHANGE), data=COMMUNITIES_CSV),
    Row("GET /api/communities/{pk}", "/api/communities/{community}", "GET", _api(COMMUNITY_READ)),
    Row("PUT /api/communities/{pk}", "/api/communities/{community}", "PUT", _api(COMMUNITY_WRITE), data={"name": "Matrix community"}),
    Row("DELETE /api/communities/{pk}", "/api/communities/{community}", "DELETE", _api(COMMUNITY_WRITE)),
    Row("GET /api/interpreters", "/api/interpreters", "GET", "401 ok ok ok clean clean 403 clean ok ok", marker="matrix-interpreter-"),
    Row("POST /api/interpreters", "/api/interpreters", "POST", _api(REGISTRY_CHANGE), data=INTERPRETER),
    Row("GET /api/interpreters/search", "/api/interpreters/search?source=fil&target=ar", "GET", _api(INTERPRETERS_VIEW)),
    Row("GET /api/interpreters/export", "/api/interpreters/export", "GET", _api(REGISTRY_EXPORT)),
    Row("POST /api/interpreters/import", "/api/interpreters/import", "POST", _api(REGISTRY_CHANGE), data=INTERPRETERS_CSV),
    Row("GET /api/interpreters/{pk}", "/api/interpreters/{interpreter}", "GET", "401 ok/ok ok/clean ok/404 404/404 clean/clean no/no clean/clean clean/clean clean/clean", marker="matrix-interpreter-"),
    Row("PUT /api/interpreters/{pk}", "/api/interpreters/{interpreter}", "PUT", _api(INTERPRETER_EDIT), data=INTERPRETER),
    Row("DELETE /api/interpreters/{pk}", "/api/interpreters/{interpreter}", "DELETE", _api(INTERPRETER_WRITE)),
    # People.
    Row("GET /api/nationals", "/api/nationals", "GET", _api(PEOPLE_VIEW)),
    # 422: the role may, and the form refuses this short record (no consent, no phone...).
    Row("POST /api/nationals", "/api/nationals", "POST", "401 422 422 422 403 403 403 403 422 422", data=NATIONAL),
    Row("GET /api/nationals/{pk}", "/api/nationals/{registration}", "GET", _api(PERSON_READ)),
    Row("PUT /api/nationals/{pk}", "/api/nationals/{registration}", "PUT", "401 422/422 404/404 404/404 no/no no/no no/no no/no 422/404 422/422", data=NATIONAL),
    Row("DELETE /api/nationals/{pk}", "/api/nationals/{registration}", "DELETE", _api(PERSON_WRITE)),
    Row("GET /api/crises", "/api/crises", "GET", _api(PEOPLE_VIEW)),
    Row("POST /api/crises", "/api/crises", "POST", _api(PEOPLE_CHANGE), data=CRISIS),
    Row("GET /api/crises/{crisis_id}", "/api/crises/{crisis}", "GET", _api(CRISIS_READ)),
    Row("GET /api/crises/{crisis_id}/figures", "/api/crises/{crisis}/figures", "GET", _api(CRISIS_READ)),
    Row("POST /api/crises/{crisis_id}/recount", "/api/crises/{crisis}/recount", "POST", _api(CRISIS_WRITE)),
    Row("POST /api/crises/{crisis_id}/close", "/api/crises/{crisis}/close", "POST", _api(CRISIS_WRITE)),
    Row("POST /api/crises/{crisis_id}/campaigns", "/api/crises/{crisis}/campaigns", "POST", _api(CRISIS_WRITE), data={"messages": {"en": "Are you safe?"}}),
    Row("GET /api/crises/campaigns/{campaign_id}/board", "/api/crises/campaigns/{campaign}/board", "GET", _api(CRISIS_READ)),
    Row(
        "POST /api/crises/campaigns/{campaign_id}/requests/{request_id}/answer",
        "/api/crises/campaigns/{campaign}/requests/{checkin}/answer",
        "POST",
        _api("L ok/ok 404/404 404/404 no/no no/no no/no no/no ok/404 ok/ok"),
        data={"answer": "safe"},
    ),
    Row("GET /api/cases", "/api/cases", "GET", _api(PEOPLE_VIEW)),
    Row("POST /api/cases", "/api/cases", "POST", _api(PEOPLE_CHANGE), data=CASE),
    Row("GET /api/cases/{case_id}", "/api/cases/{case}", "GET", _api(PERSON_READ)),
    Row("POST /api/cases/{case_id}/transition", "/api/cases/{case}/transition", "POST", "401 422/ok 404/404 404/404 no/no no/no no/no no/no 422/404 422/ok", data={"status": "in_progress"}),
    Row("POST /api/cases/{case_id}/notes", "/api/cases/{case}/notes", "POST", _api(PERSON_WRITE), data={"text": "Matrix note"}),
    Row("POST /api/cases/{case_id}/messages", "/api/cases/{case}/messages", "POST", _api(PERSON_WRITE), data={"text": "Matrix message"}),
    Row("POST /api/cases/{case_id}/triage", "/api/cases/{case}/triage", "POST", _api(PERSON_WRITE), data={"priority": "high", "reason": "Matrix"}),
    # Every field of an assignment is optional: the empty body is a real request.
    Row("POST /api/cases/{case_id}/assign", "/api/cases/{case}/assign", "POST", _api(PERSON_WRITE), data={}),
    # Publishing.
    Row("GET /api/advice", "/api/advice", "GET", _api(ADVICE_VIEW)),
    Row("GET /api/advice/versions/{pk}", "/api/advice/versions/{version}", "GET", _api(ADVICE_READ)),
    Row("POST /api/advice/drafts", "/api/advice/drafts", "POST", _api(ADVICE_CHANGE), data=ADVICE_DRAFT),
    # 409: the role may, the version's state refuses (A is published; B is a draft, not awaiting approval).
    Row("POST /api/advice/versions/{pk}/submit", "/api/advice/versions/{version}/submit", "POST", ADVICE_SUBMIT),
    Row("POST /api/advice/versions/{pk}/approve", "/api/advice/versions/{version}/approve", "POST", ADVICE_APPROVE),
    Row("GET /api/alerts", "/api/alerts", "GET", _api(PUBLISHING_VIEW)),
    Row("POST /api/alerts", "/api/alerts", "POST", _api(PUBLISHING_CHANGE), data=ALERT),
    Row("POST /api/alerts/import", "/api/alerts/import", "POST", _api(PUBLISHING_CHANGE), data=CAP_MESSAGE),
    Row("GET /api/alerts/{pk}", "/api/alerts/{alert}", "GET", _api(ALERT_READ)),
    Row("GET /api/alerts/{pk}/texts", "/api/alerts/{alert}/texts", "GET", _api(ALERT_READ)),
    # 409: the role may, the alert's state refuses (A is published, B an empty draft).
    Row("POST /api/alerts/{pk}/submit", "/api/alerts/{alert}/submit", "POST", ALERT_STATE),
    Row("POST /api/alerts/{pk}/approve", "/api/alerts/{alert}/approve", "POST", ALERT_STATE),
    Row("POST /api/alerts/{pk}/publish", "/api/alerts/{alert}/publish", "POST", ALERT_STATE, data={"reason": "Matrix"}),
    Row("GET /api/messaging/sends", "/api/messaging/sends", "GET", _api(PUBLISHING_VIEW)),
    Row("POST /api/messaging/sends", "/api/messaging/sends", "POST", _api(PUBLISHING_CHANGE), data=SEND),
    Row("POST /api/messaging/preview", "/api/messaging/preview", "POST", _api(PUBLISHING_CHANGE), data=PREVIEW),
    Row("GET /api/messaging/sends/{pk}", "/api/messaging/sends/{send}", "GET", _api(SEND_READ)),
    Row("GET /api/messaging/sends/{pk}/counts", "/api/messaging/sends/{send}/counts", "GET", _api(SEND_READ)),
]
# fmt: on
