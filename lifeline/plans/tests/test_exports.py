"""An assessment as DOCX and PDF (the one document path) and XLSX: from the page and from the command,
read back by python-docx, pypdf and openpyxl; scoped, audited, in the chosen language."""

import datetime
import io
import struct
import zlib

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from docx.oxml.ns import qn
from pypdf import PdfReader

from lifeline.core.models import AuditAction, AuditEntry, Role, Scope
from lifeline.plans import services
from lifeline.plans.models import Answer, AnswerRecord, ChecklistTemplate, Item
from lifeline.plans.tests.test_document import soffice_pdf

KEY = "contingency-plan-accounts-for-migrants"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def version(db):
    return ChecklistTemplate.objects.get(key=KEY).published()


@pytest.fixture
def planner(make_user, org_a):
    return make_user(org_a, role=Role.COORDINATOR, scope=Scope.CHILDREN)


def png(width=4, height=2):
    """A small real PNG (red pixels)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def assessment(planner, org_a, version):
    made = services.start_assessment(planner, org_a, version, assessed_on=datetime.date(2026, 11, 30))
    items = {i.key: i for i in Item.objects.filter(section__version=version)}
    AnswerRecord.objects.create(
        assessment=made,
        item=items["presence-recorded"],
        answer=Answer.YES,
        evidence_link="https://example.org/census",
    )
    record = AnswerRecord.objects.create(
        assessment=made,
        item=items["needs-recorded"],
        answer=Answer.NO,
        owner="Planning unit",
        due=datetime.date(2027, 3, 31),
        follow_up="Survey the workers' associations",
    )
    record.evidence_file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    return made


def _all_text(out):
    texts = [p.text for p in out.paragraphs]
    for table in out.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def _exports():
    return AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="plans.assessment")


def test_the_docx_holds_the_scores_answers_evidence_and_follow_ups(client, login, planner, assessment, org_a):
    org_a.brand_name = "Civil Defence Directorate"
    org_a.brand_logo.save("logo.png", ContentFile(png()), save=True)
    login(planner)
    response = client.get(f"/plans/assessments/{assessment.pk}/export/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].startswith(f'attachment; filename="assessment-{assessment.pk}-')
    out = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in out.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Does our contingency plan account for migrants?"
    assert "Score per section" in headings and "1. Who is here" in headings
    text = _all_text(out)
    assert "Civil Defence A" in text and "v1" in text and "Nov. 30, 2026" in text
    assert "https://example.org/census" in text
    assert "File attached: " in text and ".pdf" in text
    assert "Survey the workers' associations" in text and "Planning unit" in text and "March 31, 2027" in text
    # Section scores: the first section has a yes and a no: 50 %.
    scores = next(t for t in out.tables if t.rows[0].cells[0].text == "Section")
    assert [c.text for c in scores.rows[1].cells][:2] == ["Who is here", "50 %"]
    # The brand heads the pages: the organisation's name and its logo in the header.
    header = out.sections[0].header
    assert "Civil Defence Directorate" in header.paragraphs[0].text
    assert header.part.element.xpath(".//pic:pic") and any(
        rel.reltype.endswith("/image") for rel in header.part.rels.values()
    )
    properties = out.core_properties
    assert properties.title == "Does our contingency plan account for migrants?"
    assert properties.author == "Civil Defence Directorate" and properties.category == "Checklist assessment"
    assert out.sections[0].page_width > out.sections[0].page_height  # landscape: wide tables
    assert _exports().count() == 1 and _exports().get().reason == "docx en"


def test_the_pdf_holds_the_same_and_the_logo_on_its_first_page(client, login, planner, assessment, org_a):
    org_a.brand_logo.save("logo.png", ContentFile(png()), save=True)
    login(planner)
    response = client.get(f"/plans/assessments/{assessment.pk}/export/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Does our contingency plan account for migrants?" in text
    assert "Survey the workers' associations" in text and "https://example.org/census" in text
    assert "Civil Defence A" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1
    assert _exports().get().reason == "pdf en"


def test_arabic_export_reads_right_to_left_and_marks_nothing_written_in_arabic(
    client, login, planner, assessment, version
):
    login(planner)
    response = client.get(f"/plans/assessments/{assessment.pk}/export/docx/", HTTP_ACCEPT_LANGUAGE="ar")
    out = docx.Document(io.BytesIO(response.content))
    title = out.paragraphs[0]
    assert title.text == version.template.title["ar"]
    assert title._p.pPr.find(qn("w:bidi")) is not None
    assert all(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in out.tables)
    assert "(in " not in _all_text(out)
    pdf = client.get(f"/plans/assessments/{assessment.pk}/export/pdf/", HTTP_ACCEPT_LANGUAGE="ar")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert version.template.title["ar"] in text


def test_a_text_not_written_in_the_language_is_shown_in_another_and_marked(planner, assessment, version):
    section = version.sections.first()
    texts = dict(section.title)
    del texts["fr"]
    type(section).objects.filter(pk=section.pk).update(title=texts)  # as an older template would be
    out = docx.Document(io.BytesIO(services.export_assessment(planner, assessment, "docx", "fr")))
    heading = next(p.text for p in out.paragraphs if p.text.startswith("1. "))
    assert heading == f"1. {texts['en']} (en anglais)"
    assert "Oui" in _all_text(out) and "Non" in _all_text(out)


def test_another_organisations_assessment_is_not_found_and_an_officer_may_not_export(
    client, login, make_user, org_b, assessment
):
    login(make_user(org_b, role=Role.COORDINATOR))
    for fmt in ("docx", "pdf"):
        assert client.get(f"/plans/assessments/{assessment.pk}/export/{fmt}/").status_code == 404
    login(make_user(assessment.organisation, role=Role.OFFICER))
    assert client.get(f"/plans/assessments/{assessment.pk}/export/pdf/").status_code == 403
    assert not _exports().exists()


def test_the_page_offers_the_three_exports(client, login, planner, assessment):
    login(planner)
    page = client.get(f"/plans/assessments/{assessment.pk}/").content.decode()
    for fmt in ("", "docx/", "pdf/"):
        assert f'href="/plans/assessments/{assessment.pk}/export/{fmt}"' in page


def test_libreoffice_opens_the_exported_docx(planner, assessment, tmp_path):
    for language, words in (("en", "Who is here"), ("ar", None)):
        data = services.export_assessment(planner, assessment, "docx", language)
        text = "\n".join(page.extract_text() for page in soffice_pdf(data, tmp_path / language).pages)
        expected = words or assessment.version.sections.first().title["ar"]
        assert expected in text


# The command ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_the_command_writes_each_format_and_is_audited(assessment, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    call_command("checklist_export", str(assessment.pk), "--format", fmt, "--lang", "es", "-o", str(target))
    data = target.read_bytes()
    if fmt == "docx":
        assert "¿Tiene en cuenta" in docx.Document(io.BytesIO(data)).paragraphs[0].text
    elif fmt == "pdf":
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
        assert "Survey the workers' associations" in text and "Quién está aquí" in text
    else:
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert list(book.worksheets[0].iter_rows(values_only=True))[2][:2] == ("Sección", "Puntuación (%)")
    entry = _exports().get()
    assert entry.via == "command" and entry.actor_id is None and entry.reason == f"{fmt} es"


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        (["999999", "--format", "pdf"], "No assessment has the id “999999”."),
        (["abc", "--format", "pdf"], "No assessment has the id “abc”."),
        (["{pk}", "--format", "odt"], "Unknown format “odt”: choose one of xlsx, docx, pdf."),
        (["{pk}", "--format", "pdf", "--lang", "xx"], "Unknown language “xx”"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(assessment, tmp_path, arguments, reason):
    target = tmp_path / "out.bin"
    arguments = [a.format(pk=assessment.pk) for a in arguments]
    with pytest.raises(CommandError) as raised:
        call_command("checklist_export", *arguments, "-o", str(target))
    assert reason in str(raised.value)
    assert not target.exists() and not _exports().exists()


def test_a_logo_that_is_no_image_or_is_gone_leaves_the_name_alone(planner, assessment, org_a, settings):
    org_a.brand_name = "Civil Defence Directorate"
    org_a.brand_logo.save("logo.png", ContentFile(b"not an image"), save=True)
    out = docx.Document(io.BytesIO(services.export_assessment(planner, assessment, "docx", "en")))
    assert out.sections[0].header.paragraphs[0].text == "Civil Defence Directorate"
    reader = PdfReader(io.BytesIO(services.export_assessment(planner, assessment, "pdf", "en")))
    assert "Civil Defence Directorate" in reader.pages[0].extract_text() and not reader.pages[0].images
    org_a.brand_logo.storage.delete(org_a.brand_logo.name)  # the file lost from storage
    out = docx.Document(io.BytesIO(services.export_assessment(planner, assessment, "docx", "en")))
    assert out.sections[0].header.paragraphs[0].text == "Civil Defence Directorate"
