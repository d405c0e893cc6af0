"""The managers' web view over HTTP on PostgreSQL: sign-in with password and TOTP, lockout,
CSRF, idle timeout, team scoping, the audit of every view, and the CSVs against the rules."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from central.cli import main
from central.db.models import AuditEntry, VisitRow
from central.managers import add_manager
from central.services import admin
from central.web.access import COOKIE
from records.corrections import ReviewDecision, ReviewOutcome
from records.flag_types import local_day
from tests.central.harness import WORLD_CSV, Central
from tests.central.manage_world import PASSWORD, Managers, csrf_of, manage_world, visit
from tests.central.test_case_notes import GOOD_ROW, HEADER, import_file

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def managers(central: Central) -> Iterator[Managers]:
    # The cookie is Secure: the client speaks https, as a browser behind TLS would.
    central.client.base_url = central.client.base_url.copy_with(scheme="https")
    yield manage_world(central)


def sign_in(central: Central, managers: Managers, username: str, *,
            code: str | None = None, password: str = PASSWORD) -> tuple[int, str]:
    form = central.client.get("/manage/login")
    assert form.status_code == 200
    answer = central.client.post("/manage/login", data={
        "username": username, "password": password, "csrf": csrf_of(form.text),
        "code": code if code is not None else managers.code(username, central.clock())},
        follow_redirects=False)
    return answer.status_code, answer.text


def audited(central: Central, action: str) -> list[AuditEntry]:
    with central.admin() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


def test_a_manager_signs_in_with_password_and_code_and_every_page_view_is_audited(
        central: Central, managers: Managers) -> None:
    assert central.client.get("/manage/service", follow_redirects=False).headers[
        "location"] == "/manage/login"
    status, _ = sign_in(central, managers, "northmgr")
    assert status == 303
    cookie = next(c for c in central.client.cookies.jar if c.name == COOKIE)
    assert cookie.secure and cookie.path == "/manage"
    service = central.client.get("/manage/service")
    assert service.status_code == 200
    assert "default-src 'none'" in service.headers["content-security-policy"]
    assert service.headers["cache-control"] == "no-store"
    html = service.text
    assert ">North</a>" in html and "South" not in html  # a North manager sees North only
    team = central.client.get("/manage/teams/North")
    assert team.status_code == 200 and "north1" in team.text
    views = audited(central, "manage.page_viewed")
    assert [(v.actor, v.subject) for v in views] == [
        ("manager:northmgr", "/manage/service"), ("manager:northmgr", "/manage/teams/North")]
    assert audited(central, "manage.signed_in")[0].subject == "manager:northmgr"


def test_a_wrong_code_a_wrong_password_and_a_replayed_code_are_refused_alike(
        central: Central, managers: Managers) -> None:
    status, html = sign_in(central, managers, "northmgr", code="000000")
    assert status == 401 and "not right" in html
    status, html = sign_in(central, managers, "northmgr", password="not the password")
    assert status == 401 and "not right" in html
    status, _ = sign_in(central, managers, "nobody", code="123456")
    assert status == 401
    assert sign_in(central, managers, "northmgr")[0] == 303
    central.client.cookies.clear()
    # The same code a second time (someone who saw it over a shoulder) is refused.
    status, html = sign_in(central, managers, "northmgr")
    assert status == 401 and "not right" in html
    reasons = [e.detail["reason"] for e in audited(central, "manage.login_refused")]
    assert reasons == ["code", "password", "unknown_user", "code"]


def test_repeated_failures_lock_the_account_even_against_the_right_answer(
        central: Central, managers: Managers) -> None:
    for _ in range(5):
        assert sign_in(central, managers, "northmgr", password="guess guess guess")[0] == 401
    status, html = sign_in(central, managers, "northmgr")
    assert status == 401 and "locked" in html
    central.clock.advance(16 * 60)  # the lock lasts 15 minutes
    assert sign_in(central, managers, "northmgr")[0] == 303


def test_a_form_without_the_sessions_csrf_token_or_with_a_replayed_one_is_refused(
        central: Central, managers: Managers) -> None:
    form = central.client.get("/manage/login")
    old_token = csrf_of(form.text)
    answer = central.client.post("/manage/login", data={
        "username": "northmgr", "password": PASSWORD, "csrf": "forged",
        "code": managers.code("northmgr", central.clock())})
    assert answer.status_code == 403 and "expired" in answer.text
    assert sign_in(central, managers, "northmgr")[0] == 303
    # The sign-in form's token belonged to the anonymous session, which sign-in ended.
    central.clock.advance(30)
    replay = central.client.post("/manage/login", data={
        "username": "northmgr", "password": PASSWORD, "csrf": old_token,
        "code": managers.code("northmgr", central.clock())})
    assert replay.status_code == 403
    page = central.client.get("/manage/service")
    assert central.client.post("/manage/logout", data={"csrf": "forged"}).status_code == 403
    assert central.client.get("/manage/service").status_code == 200  # still signed in
    token = csrf_of(page.text)
    assert central.client.post("/manage/logout", data={"csrf": token}).status_code == 200
    assert central.client.get("/manage/service", follow_redirects=False).status_code == 303
    assert len(audited(central, "manage.csrf_refused")) == 2


def test_a_session_ends_after_the_idle_time(central: Central, managers: Managers) -> None:
    assert sign_in(central, managers, "northmgr")[0] == 303
    central.clock.advance(14 * 60)
    assert central.client.get("/manage/service").status_code == 200  # restarts the clock
    central.clock.advance(14 * 60)
    assert central.client.get("/manage/service").status_code == 200
    central.clock.advance(15 * 60 + 1)
    gone = central.client.get("/manage/service", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/manage/login?expired=1"
    assert "signed out after 15 minutes" in central.client.get(gone.headers["location"]).text


def test_a_manager_of_north_cannot_reach_south_by_guessing_addresses(
        central: Central, managers: Managers) -> None:
    mia = managers.world.children["S1"]
    assert sign_in(central, managers, "northmgr")[0] == 303
    for address in ("/manage/teams/South", "/manage/teams/South/workers/south1",
                    f"/manage/children/{mia.id}", "/manage/children.csv?team=South",
                    "/manage/lists/overdue?team=South", "/manage/lists/overdue.csv?team=South",
                    "/manage/lists?team=South", "/manage/teams/Nowhere"):
        answer = central.client.get(address)
        assert answer.status_code == 403, address
        assert "Mia" not in answer.text
    everything = central.client.get("/manage/children.csv").text
    assert "Mia Hughes" not in everything and "Ana Nowak" in everything
    assert len(audited(central, "manage.refused")) == 8


def test_the_child_page_shows_no_record_text_until_asked_and_the_asking_is_audited(
        central: Central, managers: Managers) -> None:
    ana = managers.world.children["N1"]
    assert sign_in(central, managers, "head")[0] == 303
    page = central.client.get(f"/manage/children/{ana.id}")
    assert page.status_code == 200
    assert "Not alone" in page.text and "No access" in page.text
    assert "fell off the sofa" not in page.text  # no free text by default
    assert not audited(central, "manage.record_shown")
    # The oldest visit, last on the timeline, recorded the bruise.
    action = page.text.split('<form method="post" action="')[-1].split('"')[0]
    shown = central.client.post(action, data={"csrf": csrf_of(page.text)})
    assert shown.status_code == 200 and "fell off the sofa" in shown.text
    [entry] = audited(central, "manage.record_shown")
    assert entry.actor == "manager:head" and entry.subject.startswith("visit:")
    assert central.client.post(action, data={"csrf": "old"}).status_code == 403


def test_the_child_page_says_what_the_team_lead_decided_and_an_escalation_is_not_a_sign_off(
        central: Central, managers: Managers) -> None:
    ana = managers.world.children["N1"]
    with central.admin() as session:
        stored = session.execute(select(VisitRow.id, VisitRow.record_hash,
                                        VisitRow.canonical_json)
                                 .where(VisitRow.case_id == ana.case_id)).all()
    by_day = {json.loads(record)["started_at"][:10]: (visit_id, record_hash)
              for visit_id, record_hash, record in stored}
    lead = central.enroll("northlead")
    for day, outcome, comment in (("2026-11-02", ReviewOutcome.SIGNED_OFF, ""),
                                  ("2026-11-09", ReviewOutcome.ESCALATED,
                                   "Strategy discussion.")):
        visit_id, visit_hash = by_day[day]
        review = ReviewDecision(id=uuid.uuid4(), visit_id=visit_id, visit_hash=visit_hash,
                                decided_at=central.clock(), outcome=outcome, comment=comment)
        lead.push_ok(lead.op(review, "review.decide"))
    assert sign_in(central, managers, "head")[0] == 303
    page = central.client.get(f"/manage/children/{ana.id}").text
    rows = {day: row for row in page.split("<tr>")
            for day in ("2 Nov 2026", "9 Nov 2026", "13 Nov 2026") if f">{day}<" in row}
    assert "<td>Signed off</td>" in rows["2 Nov 2026"]
    assert "<td>Escalated</td>" in rows["9 Nov 2026"]
    assert "<td>Awaiting</td>" in rows["13 Nov 2026"]


def test_the_child_page_says_what_each_agency_notification_reports(
        central: Central, managers: Managers) -> None:
    ana = managers.world.children["N1"]
    header = HEADER.rstrip("\n") + ",reports_injury,reports_food_or_weight\n"
    import_file(central, header + GOOD_ROW.rstrip("\n") + ",yes,no\n"
                + "CP-1,N1,Elm Row Primary,school_concern,2026-11-12,Hungry.,,IT (MASH),,\n")
    assert sign_in(central, managers, "head")[0] == 303
    page = central.client.get(f"/manage/children/{ana.id}").text
    (police,) = [row for row in page.split("<tr>") if "<td>West Midlands Police</td>" in row]
    (school,) = [row for row in page.split("<tr>") if "<td>Elm Row Primary</td>" in row]
    assert "<td>Reports an injury</td>" in police and "<td>Not said</td>" in school


def test_the_csvs_say_what_the_rules_say(central: Central, managers: Managers) -> None:
    assert sign_in(central, managers, "head")[0] == 303
    answer = central.client.get("/manage/children.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = {r["child"]: r for r in csv.DictReader(io.StringIO(answer.text))}
    # Ana: seen on 9 Nov, not alone; the no-access day on 13 Nov does not reset the clock.
    assert (rows["Ana Nowak"]["last_seen"], rows["Ana Nowak"]["seen_alone_then"],
            rows["Ana Nowak"]["next_due"], rows["Ana Nowak"]["days_overdue"]) == (
        "2026-11-09", "no", "2026-11-23", "0")
    assert (rows["Mia Hughes"]["last_seen"], rows["Mia Hughes"]["team"]) == ("", "South")
    assert rows["Yusuf Begum"]["seen_alone_then"] == "yes"
    assert {r["headline_as_of"] for r in rows.values()} == {local_day(central.clock()).isoformat()}

    alone = list(csv.DictReader(io.StringIO(
        central.client.get("/manage/lists/not-seen-alone.csv").text)))
    assert [(r["child"], r["not_seen_alone_visits"]) for r in alone] == [("Ana Nowak", "2")]
    injuries = list(csv.DictReader(io.StringIO(
        central.client.get("/manage/lists/injuries.csv?team=North").text)))
    assert [(r["child"], r["injury_visits"]) for r in injuries] == [("Ana Nowak", "1")]
    never = central.client.get("/manage/lists/never-visited?sort=child&order=desc")
    assert "Mia Hughes" in never.text and "Ana Nowak" not in never.text
    downloads = audited(central, "manage.csv_downloaded")
    assert [(d.subject, d.detail["rows"]) for d in downloads] == [
        ("children", 3), ("list:not-seen-alone", 1), ("list:injuries", 1)]


def test_the_service_page_counts_by_the_rules(central: Central, managers: Managers) -> None:
    assert sign_in(central, managers, "head")[0] == 303
    html = central.client.get("/manage/service").text
    assert "3 allocated children in 2 teams" in html
    assert "<svg" in html and "Seen within timescale, week by week" in html
    # Visits awaiting sign-off: Ana's three and Yusuf's one, counted once each.
    assert "4 visits awaiting sign-off" in html


def test_the_cli_adds_lists_and_disables_managers_and_prints_the_child_level_csv(
        central: Central, managers: Managers, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = central.engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["manager", "add", "southmgr", "--teams", "South", "--password-stdin",
                 "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "otpauth://totp/Homevisit%20central:southmgr?secret=" in out
    assert "█" in out or "#" in out  # the QR code
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["manager", "add", "x", "--teams", "South", "--password-stdin",
                 "--database-url", url]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["manager", "add", "y", "--teams", "Nowhere", "--password-stdin",
                 "--database-url", url]) == 1
    assert "no team called 'Nowhere'" in capsys.readouterr().err
    assert main(["manager", "list", "--database-url", url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "head\tmanager\tall\tHead of Service" in listed
    assert "southmgr\tmanager\tSouth\tsouthmgr" in listed

    assert sign_in(central, managers, "northmgr")[0] == 303
    assert main(["manager", "disable", "northmgr", "--database-url", url]) == 0
    capsys.readouterr()
    assert central.client.get("/manage/service", follow_redirects=False).status_code == 303

    assert main(["report", "children", "--csv", "--team", "North", "--database-url", url]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["child"] for r in rows} == {"Ana Nowak", "Yusuf Begum"}


def test_idle_sessions_and_anonymous_visitors_leave_no_rows_behind(
        central: Central, managers: Managers) -> None:
    from central.db.manager_models import ManagerSession

    for _ in range(3):
        central.client.cookies.clear()
        central.client.get("/manage/login")
    central.clock.advance(timedelta(minutes=16).total_seconds())
    central.client.cookies.clear()
    central.client.get("/manage/login")
    with central.admin() as session:
        assert len(session.scalars(select(ManagerSession)).all()) == 1


def _last_cell(html: str, row_link: str) -> str:
    """The last figure (laptops with refused records) of the row whose heading links to
    `row_link`."""
    row = re.search(rf'href="{re.escape(row_link)}">[^<]*</a></th>(.*?)</tr>', html, re.S)
    assert row, f"no row for {row_link}"
    return re.findall(r'<td class="num">(.*?)</td>', row.group(1), re.S)[-1]


def test_laptops_holding_refused_records_are_shown_to_it_and_to_managers(
        central: Central, managers: Managers, capsys: pytest.CaptureFixture[str]) -> None:
    laptop = central.enroll("north1", label="spare")
    first = visit(managers.world, "N1", date(2026, 11, 20))
    second = visit(managers.world, "N1", date(2026, 11, 21))
    forged = b"\x00" * 64  # a signature central cannot check: refused, kept on the laptop
    assert [r["result"] for r in laptop.push_ok(laptop.op(first, signature=forged),
                                                laptop.op(second, signature=forged))] == [
        "rejected", "rejected"]
    assert laptop.push_ok(laptop.op(first))[0]["result"] == "accepted"  # put right, re-sent
    assert central.client.post("/v1/sync/push", content=b'{"operations": [', headers={
        **laptop.headers(), "content-type": "application/json"}).status_code == 400

    url = central.engine.url.render_as_string(hide_password=False)
    capsys.readouterr()
    assert main(["device", "list", "--database-url", url]) == 0
    listed = {line.split("\t")[0]: line.split("\t") for line in
              capsys.readouterr().out.splitlines()}
    assert listed[str(laptop.device_id)][5] == (
        "2 records refused (1 not yet accepted), 1 send refused whole; "
        "commonest: bad_signature")
    assert {row[5] for key, row in listed.items() if key != str(laptop.device_id)} == {""}
    assert main(["stats", "--json", "--database-url", url]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["ops_rejected_by_device"] == {str(laptop.device_id): 2}
    assert figures["ops_refused_not_yet_accepted_by_device"] == {str(laptop.device_id): 1}
    assert figures["sends_refused_by_device"] == {str(laptop.device_id): 1}

    assert sign_in(central, managers, "head")[0] == 303
    service = central.client.get("/manage/service").text
    assert "Laptops with refused records" in service
    assert _last_cell(service, "/manage/teams/North") == '<strong class="warn">1</strong>'
    assert _last_cell(service, "/manage/teams/South") == "0"
    team = central.client.get("/manage/teams/North").text
    assert _last_cell(team, "/manage/teams/North/workers/north1") == (
        '<strong class="warn">1</strong>')
    assert _last_cell(team, "/manage/teams/North/workers/north2") == "0"

    assert laptop.push_ok(laptop.op(second))[0]["result"] == "accepted"  # the last one too
    service = central.client.get("/manage/service").text
    assert _last_cell(service, "/manage/teams/North") == "0"


def test_a_new_day_before_the_nightly_refresh_says_whose_flags_are_from_yesterday(
        central: Central, managers: Managers, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Service page needs no child worked out on a new day; the lists work out a few
    (`DAY_BOUND`) and say which children still show the day before's flags."""
    assert sign_in(central, managers, "head")[0] == 303
    assert "nightly refresh" not in central.client.get("/manage/lists").text
    central.clock.advance(timedelta(days=1).total_seconds())
    assert sign_in(central, managers, "head")[0] == 303  # the session went idle overnight
    monkeypatch.setattr("central.web.children.DAY_BOUND", 1)
    service = central.client.get("/manage/service")
    assert service.status_code == 200 and "nightly refresh" not in service.text
    lists = central.client.get("/manage/lists").text
    assert "The flags of 2 children are as of 16 Nov 2026" in lists
    assert central.client.get("/manage/lists/overdue").status_code == 200  # one more
    assert "nightly refresh" not in central.client.get("/manage/lists").text  # the last


def test_a_child_never_seen_with_no_start_date_is_counted_overdue_and_listed_by_name(
        central: Central, managers: Managers) -> None:
    """Nia has no plan start and no visit: nothing says when she must be seen. The Service
    and Team pages count her in "overdue now" and say why, and the overdue list names her,
    as the worker's caseload does (rules 17); before, only her flag showed her."""
    nia = WORLD_CSV.splitlines()[0] + (
        "\nCN-7,Ward,2 Elm Row,South,W1,Nia,Ward,2018-02-02,child_in_need,,,,English,south1\n")
    with central.admin() as session:
        admin.import_cases(session, io.StringIO(nia), central.clock())
    assert sign_in(central, managers, "head")[0] == 303
    service = central.client.get("/manage/service").text
    before = central.client.get("/manage/lists/overdue").text
    assert "<strong>2</strong> overdue now (1 never seen with no start date to count from)" \
        in service  # Mia, 69 days, and Nia
    assert "1 with no start date" in service  # South's row
    assert "Nia Ward" in before and "No start date" in before
    south = central.client.get("/manage/teams/South").text
    assert "(1 never seen with no start date to count from)" in south
    rows = {r["child"]: r for r in csv.DictReader(io.StringIO(
        central.client.get("/manage/lists/overdue.csv").text))}
    assert "Nia Ward" in rows and rows["Nia Ward"]["headline"].startswith(
        "Nia has no visit on record and no plan start date")
    assert (rows["Nia Ward"]["days_overdue"], rows["Nia Ward"]["overdue_now"]) == ("0", "yes")
    every = {r["child"]: r for r in csv.DictReader(io.StringIO(
        central.client.get("/manage/children.csv").text))}
    assert sum(r["overdue_now"] == "yes" for r in every.values()) == 2  # as the Service page
    assert every["Nia Ward"]["overdue_now"] == "yes" and every["Nia Ward"]["next_due"] == ""


def test_a_manager_of_several_teams_sees_the_most_serious_child_first_whatever_the_team(
        central: Central, managers: Managers) -> None:
    """Each team's children were listed most serious first, then joined team by team in the
    alphabet's order: for a manager of North and South (not of every team) Mia, never
    visited, sat below North's milder flags. Every page and CSV now orders them as the
    manager of every team sees them."""
    with central.admin() as session:
        managers.secrets["both"] = add_manager(
            session, central.client.app.state.manage.box, "both", PASSWORD,
            teams=["North", "South"], display_name="Both Teams").totp_secret
    orders = {}
    for username in ("head", "both"):
        central.client.cookies.clear()
        assert sign_in(central, managers, username)[0] == 303
        rows = list(csv.DictReader(io.StringIO(central.client.get("/manage/children.csv").text)))
        orders[username] = [(r["child"], r["team"]) for r in rows]
    teams_in_turn = sorted(orders["head"], key=lambda row: row[1])
    assert orders["head"] != teams_in_turn, "the world must have a later team's child first"
    assert orders["both"] == orders["head"]
