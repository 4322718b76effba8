"""Translation jobs (issue 27), through the real admin views as each role: a job made from the
queue's bulk action, assigned, started, exported as one PO file and imported back, in review
by itself, closed by its reviewer; the history of each step; the queue filtered by job; who
may see and do what; the digests; constant queries on the listing."""

import re
from datetime import timedelta

import polib
import pytest
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ngo_site.translation_queue.models import (
    TranslationAssignment,
    TranslationJob,
)
from tests.site.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/translation-queue/"
JOBS = "/admin/translation-jobs/"
ADD_TO_JOB = reverse("wagtail_bulk_action", args=("translation_queue", "queueentry", "add_to_job"))


def row(page, locale):
    return f"{page.translation_key}:{locale.pk}"


def queue_rows(client, query=""):
    html = client.get(QUEUE + query).content.decode()
    return set(re.findall(r'data-queue-row="([^"]+)"', html))


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def job_page(client, job):
    response = client.get(reverse("translation_jobs:inspect", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def history(client, job):
    """[(action, user shown, time shown)] of the job's page."""
    html = job_page(client, job)
    return re.findall(
        r'data-job-event="(\w+)"><time datetime="([^"]+)">[^<]*</time>: '
        r"<span data-job-event-user>([^<]*)</span>",
        html,
    )


def not_found(response, client):
    """A 404 of the admin (the locale middleware first sends it to its /en/ address, which is
    a 404 too)."""
    if response.status_code == 302 and response["Location"].startswith("/en/admin/"):
        response = client.get(response["Location"])
    return response.status_code == 404


def add_to_job(client, pages, french, **data):
    selected = "&".join(f"id={quote(row(page, french))}" for page in pages)
    return client.post(f"{ADD_TO_JOB}?{selected}&next={QUEUE}", data)


@pytest.fixture
def pages(trees):
    return [
        StandardPageFactory(parent=trees["en_home"], title="Street vendors"),
        StandardPageFactory(parent=trees["en_home"], title="Home workers"),
    ]


@pytest.fixture
def people(make_user):
    return {
        "mona": make_user("Moderators", username="mona"),
        "tom": make_user("Translators", username="tom"),
        "tess": make_user("Translators", username="tess"),
    }


def test_a_job_from_the_queue_to_done(client, trees, pages, people, french):
    mona, tom = people["mona"], people["tom"]
    vendors, workers = pages

    # A moderator groups two missing French items into a new job (the queue's bulk action).
    client.force_login(mona)
    confirm = client.get(f"{ADD_TO_JOB}?id={quote(row(vendors, french))}&next={QUEUE}")
    assert confirm.status_code == 200 and "Street vendors" in confirm.content.decode()
    response = add_to_job(client, pages, french, job="", name="Informal workers")
    assert response.status_code == 302
    assert "2 items added to the job." in messages_of(response)
    job = TranslationJob.objects.get()
    assert (job.name, job.target_locale, job.status, job.created_by) == (
        "Informal workers",
        french,
        "open",
        mona,
    )
    assert job.items.count() == 2

    # ...and assigns it (the edit view: translator, reviewer, due date).
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("translation_jobs:edit", args=[job.pk]),
        {
            "name": "Informal workers",
            "target_locale": french.pk,
            "translator": tom.pk,
            "reviewer": mona.pk,
            "due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job.refresh_from_db()
    assert (job.translator, job.reviewer, job.due_date) == (tom, mona, due)
    # The queue's rows of the items show it.
    assignment = TranslationAssignment.objects.get(
        translation_key=vendors.translation_key, target_locale=french
    )
    assert (assignment.assignee, assignment.reviewer, assignment.due_date) == (tom, mona, due)

    # The translator starts the job and creates the two translations.
    client.force_login(tom)
    response = client.post(
        reverse("translation_jobs:move", args=[job.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "in_progress"
    for page in pages:
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
            {"locales": [french.pk]},
        )
        assert response.status_code == 302

    # One PO file for the whole job...
    response = client.get(reverse("translation_jobs:export", args=[job.pk, "po"]))
    assert response.status_code == 200
    assert 'filename="job-' in response["Content-Disposition"]
    po = polib.pofile(response.content.decode())
    titles = {entry.tcomment for entry in po}
    assert titles == {"Street vendors (fr)", "Home workers (fr)"}
    for entry in po:
        entry.msgstr = "FR " + entry.msgid

    # ...translated outside and imported back: the French is filled and the report is per item.
    upload = SimpleUploadedFile("job.po", str(po).encode())
    response = client.post(reverse("translation_jobs:import", args=[job.pk]), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-import-item") == 2
    assert "Street vendors" in html and "Home workers" in html
    french_vendors = vendors.get_translation(french).specific
    assert french_vendors.get_latest_revision_as_object().title == "FR Street vendors"

    # Every item is ready for review: the job is in review by itself, in the translator's name.
    job.refresh_from_db()
    assert job.status == "in_review"
    assert queue_rows(client, f"?job={job.pk}") == {row(vendors, french), row(workers, french)}

    # The reviewer closes it.
    client.force_login(mona)
    page = job_page(client, job)
    assert 'value="done"' in page
    response = client.post(reverse("translation_jobs:move", args=[job.pk]), {"status": "done"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"

    steps = history(client, job)
    assert [(action, who) for action, _when, who in steps] == [
        ("created", "mona"),
        ("items_added", "mona"),
        ("changed", "mona"),
        ("status", "tom"),
        ("exported", "tom"),
        ("imported", "tom"),
        ("status", "tom"),
        ("status", "mona"),
    ]
    times = [when for _action, when, _who in steps]
    assert times == sorted(times) and all(re.match(r"\d{4}-\d\d-\d\dT", t) for t in times)
    html = job_page(client, job)
    assert "moved the job to “In review”" in html
    assert "imported a file (PO): " in html


def test_the_queue_filtered_by_job(client, trees, pages, people, french):
    client.force_login(people["mona"])
    vendors, workers = pages
    add_to_job(client, [vendors], french, job="", name="Vendors only")
    job = TranslationJob.objects.get()
    everything = queue_rows(client)
    assert {row(vendors, french), row(workers, french)} <= everything
    assert queue_rows(client, f"?job={job.pk}") == {row(vendors, french)}
    # Adding to the existing job: the row already in it is skipped.
    response = add_to_job(client, pages, french, job=str(job.pk), name="")
    assert "1 item added to the job. 1 item skipped (1 already in the job)." in messages_of(
        response
    )
    assert queue_rows(client, f"?job={job.pk}") == {row(vendors, french), row(workers, french)}


def test_a_translator_makes_a_job_for_themselves_only(client, trees, pages, people, french):
    tom, tess = people["tom"], people["tess"]
    client.force_login(tom)
    add = reverse("translation_jobs:add")
    assert client.get(add).status_code == 200
    form = {"name": "Mine", "target_locale": french.pk, "translator": tess.pk, "reviewer": ""}
    response = client.post(add, form)
    assert response.status_code == 200  # the form again: someone else is not a choice
    assert not TranslationJob.objects.exists()
    response = client.post(add, {**form, "translator": tom.pk})
    assert response.status_code == 302
    job = TranslationJob.objects.get()
    assert (job.translator, job.created_by) == (tom, tom)

    # The queue's bulk action: a translator's new job is their own.
    client.force_login(tess)
    add_to_job(client, pages, french, job="", name="Tess's job")
    assert TranslationJob.objects.get(name="Tess's job").translator == tess
    # Tom's job is not Tess's to change, nor to add items to (not among the choices).
    client.get(JOBS)  # shows the messages left by the redirects not followed above
    listing = client.get(JOBS).content.decode()
    tess_job = TranslationJob.objects.get(name="Tess's job")
    assert reverse("translation_jobs:edit", args=[tess_job.pk]) in listing
    assert reverse("translation_jobs:edit", args=[job.pk]) not in listing
    assert reverse("translation_jobs:inspect", args=[job.pk]) in listing
    response = client.get(reverse("translation_jobs:edit", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] != reverse(
        "translation_jobs:edit", args=[job.pk]
    )
    response = add_to_job(client, pages, french, job=str(job.pk), name="")
    assert response.status_code == 200  # the form again, with the error
    assert job.items.count() == 0


def test_nobody_sees_a_job_of_a_language_they_have_no_rights_on(
    client, trees, pages, people, english, french, editor
):
    """Translators have no rights on English (the source language): a job into English is not
    found for them anywhere; editors have no queue, and so no jobs."""
    mona, tom = people["mona"], people["tom"]
    english_job = TranslationJob.objects.create(name="Into English", target_locale=english)
    french_job = TranslationJob.objects.create(name="Into French", target_locale=french)
    client.force_login(tom)
    listing = client.get(JOBS).content.decode()
    assert "Into French" in listing and "Into English" not in listing
    pk = english_job.pk
    for url in (
        reverse("translation_jobs:inspect", args=[pk]),
        reverse("translation_jobs:edit", args=[pk]),
        reverse("translation_jobs:delete", args=[pk]),
        reverse("translation_jobs:history", args=[pk]),
        reverse("translation_jobs:export", args=[pk, "po"]),
        reverse("translation_jobs:import", args=[pk]),
    ):
        assert not_found(client.get(url), client), url
    move = reverse("translation_jobs:move", args=[pk])
    assert not_found(client.post(move, {"status": "in_progress"}), client)
    assert not_found(client.post(reverse("translation_jobs:delete", args=[pk])), client)
    # A hand-made link to the queue filtered by that job: the filter is dropped, with a notice.
    response = client.get(QUEUE + f"?job={pk}")
    assert response.status_code == 200 and "Job" in response.content.decode()
    english_job.refresh_from_db()
    assert english_job.status == "open" and TranslationJob.objects.count() == 2

    # Nor may a translator move a job they do not translate, or close one.
    french_job.translator = people["tess"]
    french_job.save()
    response = client.post(
        reverse("translation_jobs:move", args=[french_job.pk]), {"status": "in_progress"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    french_job.refresh_from_db()
    assert french_job.status == "open"

    client.force_login(editor)
    for url in (JOBS, reverse("translation_jobs:add")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    assert not_found(client.get(reverse("translation_jobs:inspect", args=[french_job.pk])), client)

    client.force_login(mona)  # moderators have rights on every language
    assert client.get(reverse("translation_jobs:inspect", args=[pk])).status_code == 200


def test_the_job_listing_filters(client, trees, people, french):
    mona, tom = people["mona"], people["tom"]
    TranslationJob.objects.create(name="Alpha", target_locale=french, translator=tom)
    TranslationJob.objects.create(name="Beta", target_locale=french, status="in_review")
    client.force_login(mona)
    assert {"Alpha", "Beta"} <= set(re.findall(r"(Alpha|Beta)", client.get(JOBS).content.decode()))
    html = client.get(JOBS + f"?translator={tom.pk}").content.decode()
    assert "Alpha" in html and "Beta" not in html
    html = client.get(JOBS + "?status=in_review").content.decode()
    assert "Beta" in html and "Alpha" not in html
    html = client.get(JOBS + "?language=fr").content.decode()
    assert "Alpha" in html and "Beta" in html


def test_the_job_listing_makes_the_same_queries_for_5_and_50_jobs(client, trees, people, french):
    client.force_login(people["mona"])

    def queries_for(count):
        TranslationJob.objects.all().delete()
        TranslationJob.objects.bulk_create(
            TranslationJob(
                name=f"Job {n}",
                target_locale=french,
                translator=people["tom"] if n % 2 else people["tess"],
                reviewer=people["mona"],
            )
            for n in range(count)
        )
        client.get(JOBS)  # caches warmed
        with CaptureQueriesContext(connection) as captured:
            response = client.get(JOBS)
        assert response.status_code == 200
        assert response.content.decode().count("Job ") >= min(count, 50)
        return len(captured)

    assert queries_for(5) == queries_for(50)


def test_the_digest_speaks_of_jobs(trees, people, french, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example.org"
    tom, mona = people["tom"], people["mona"]
    soon = timezone.localdate() + timedelta(days=2)
    TranslationJob.objects.create(
        name="Spring campaign", target_locale=french, translator=tom, due_date=soon
    )
    review = TranslationJob.objects.create(
        name="Annual report",
        target_locale=french,
        translator=tom,
        reviewer=mona,
        status="in_review",
    )
    mail.outbox.clear()
    call_command("send_translation_digests")
    by_person = {message.to[0]: message for message in mail.outbox}
    text = by_person[tom.email].body
    assert "Your translation jobs:" in text
    assert "Spring campaign (French): Open, 0 items, due " in text and "(due soon)" in text
    assert "Annual report (French): In review" in text
    # The moderator is no translator: emailed for the job to review.
    review_text = by_person[mona.email].body
    assert "Translation jobs in review, for you to review:" in review_text
    assert f"https://cms.example.org/admin/translation-jobs/inspect/{review.pk}/" in review_text
    assert "Spring campaign" not in review_text
    assert "Annual report" in by_person[mona.email].alternatives[0][0]


def test_the_job_pages_in_french(client, trees, pages, people, french):
    from wagtail.users.models import UserProfile

    mona = people["mona"]
    profile = UserProfile.get_for_user(mona)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(mona)
    add_to_job(client, pages, french, job="", name="Travail")
    job = TranslationJob.objects.get()
    html = job_page(client, job)
    for text in ("a créé le lot", "a ajouté 2 éléments", "Historique", "Ouvert", "Traducteur·rice"):
        assert text in html, text
    listing = client.get(JOBS).content.decode()
    assert "Lots de traduction" in listing and "Échéance" in listing
    confirm = client.get(f"{ADD_TO_JOB}?id={quote(row(pages[0], french))}&next={QUEUE}")
    assert "Nom d’un nouveau lot" in confirm.content.decode()


def test_the_job_follows_its_items(client, trees, pages, people, french):
    """Open → in progress when a translation of an item is started, by the queue itself."""
    client.force_login(people["mona"])
    add_to_job(client, pages, french, job="", name="Followed")
    job = TranslationJob.objects.get()
    assert job.status == "open"
    client.force_login(people["tom"])
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[pages[0].pk]),
        {"locales": [french.pk]},
    )
    assert response.status_code == 302
    html = job_page(client, job)
    job.refresh_from_db()
    assert job.status == "in_progress"
    assert history(client, job)[-1][0::2] == ("status", "the queue")
    assert 'data-status="missing"' in html and 'data-status="in_progress"' in html


def test_a_job_goes_out_and_comes_back_as_one_xliff_file(client, trees, pages, people, french):
    """As its translator: the job's XLIFF 1.2 export (the item not translated yet left out and
    counted) and its import, with the report per item and the history."""
    import xml.etree.ElementTree as ET

    from ngo_site.translation_queue.exchange import XLIFF_NAMESPACE

    tom = people["tom"]
    vendors, workers = pages
    client.force_login(tom)
    add_to_job(client, pages, french, job="", name="Outside translator")
    job = TranslationJob.objects.get()
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[vendors.pk]),
        {"locales": [french.pk]},
    )
    assert response.status_code == 302

    response = client.get(reverse("translation_jobs:export", args=[job.pk, "xliff"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlf"')
    assert "1 item not translated yet was left out of the file." in messages_of(response)
    root = ET.fromstring(response.content)
    namespace = {"x": XLIFF_NAMESPACE}
    (translated_file,) = root.findall("x:file", namespace)
    assert translated_file.get("target-language") == "fr"
    units = list(root.iter(f"{{{XLIFF_NAMESPACE}}}trans-unit"))
    assert "Street vendors" in {unit.find("x:source", namespace).text for unit in units}
    for unit in units:
        unit.find("x:target", namespace).text = "FR " + unit.find("x:source", namespace).text

    upload = SimpleUploadedFile(
        "job.xlf", ET.tostring(root, encoding="utf-8", xml_declaration=True)
    )
    response = client.post(reverse("translation_jobs:import", args=[job.pk]), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-import-item") == 1 and "Street vendors" in html
    french_vendors = vendors.get_translation(french).specific
    assert french_vendors.get_latest_revision_as_object().title == "FR Street vendors"
    assert workers.get_translation_or_none(french) is None
    steps = [(action, who) for action, _when, who in history(client, job)]
    assert steps.index(("exported", "tom")) < steps.index(("imported", "tom"))
    page = job_page(client, job)
    assert "exported the job to a file (XLIFF)" in page
    assert re.search(r"imported a file \(XLIFF\): [1-9]\d* translations?", page)
