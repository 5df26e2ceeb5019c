"""A training event on phones: a participant registers on the public page and gets a pass with a QR
code; a trainer scans it with the phone's camera (Chromium's fake camera playing a video of that QR
code, made here with segno and Pillow), a second scan of the same pass is refused, the last session is
ticked on the list, the certificate is issued and its verification page opened from the PDF's QR."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, next_code, server_query, shoot
from tests.e2e.test_pages import serious

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
WORKSHOP = "Workshop: including migrants in emergency response"


def qr_video(text, path, width=640, height=480, frames=10):
    """A Y4M video (what Chromium's fake camera plays) of ``text``'s QR code on white, in 4:2:0."""
    import segno
    from PIL import Image

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=4)
    qr = Image.open(io.BytesIO(out.getvalue())).convert("L")
    side = min(height - 40, qr.width)
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (width, height), 255)
    frame.paste(qr, ((width - side) // 2, (height - side) // 2))
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _n in range(frames):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_register_scan_certify_and_verify_on_phones(browser, server):
    (code,) = server_query("SELECT public_code FROM training_event WHERE title = ?", (WORKSHOP,))[0]

    # A participant registers on the public page, on a phone, without an account.
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.goto(f"{server}/training/e/{code}/")
    assert WORKSHOP in page.locator("h1").inner_text()
    assert not serious(Axe().run(page))
    no_sideways_scroll(page)
    page.fill("#id_name", "Amal Haddad")
    page.fill("#id_organisation_name", "Jordan Red Crescent, Zarqa branch")
    page.select_option("#id_institution_type", "red_cross")
    page.fill("#id_role", "Volunteer coordinator")
    page.select_option("#id_level", "sub_national")
    page.fill("#id_country", "Jordan")
    page.fill("#id_interpretation", "Arabic")
    page.fill("#id_email", "amal.haddad@example.org")
    page.click("main button[type=submit]")
    assert "agree" in page.locator("main").inner_text()  # consent is asked for, nothing saved
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/training/pass/" in page.url
    assert page.locator("#pass-status").inner_text() == "You are registered."
    assert page.locator("#pass-qr svg").count() == 1
    token = page.locator("#pass-code").inner_text().strip()
    assert not serious(Axe().run(page))
    no_sideways_scroll(page)
    shoot(page, "training-pass-phone")
    pass_url = page.url
    context.close()

    # The trainer's phone: its camera films the participant's QR code.
    video = Path(tempfile.mkdtemp()) / "pass.y4m"
    qr_video(token, video)
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    # A second Chromium of the same driver, with the fake camera.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    try:
        staff = camera_browser.new_context(viewport=PHONE, locale="en", permissions=["camera"])
        trainer = staff.new_page()
        trainer.set_default_timeout(20000)
        trainer.goto(f"{server}/account/login/")
        trainer.fill("#id_username", "trainer")
        trainer.fill("#id_password", "Lifeline-demo-2026")
        trainer.click("main button[type=submit]")
        if "/account/2fa/" in trainer.url:
            trainer.fill("#id_token", next_code("trainer"))
            trainer.click("main button[type=submit]")
        trainer.goto(f"{server}/training/")
        trainer.click(f"main a:has-text('{WORKSHOP}')")
        event_url = trainer.url
        assert "Amal Haddad" in trainer.locator("#participants").inner_text()
        scans = trainer.locator("#agenda a:has-text('Scan passes')")
        assert scans.count() == 3
        scan_urls = [scans.nth(i).get_attribute("href") for i in range(3)]
        for n, url in enumerate(scan_urls[:2]):
            trainer.goto(server + url)
            trainer.click("#scan-start")
            trainer.wait_for_selector("#scan-result")
            assert trainer.locator("#scan-result").inner_text() == "Recorded: Amal Haddad."
            if n == 0:
                assert not serious(Axe().run(trainer))
                no_sideways_scroll(trainer)
                shoot(trainer, "training-scan-phone")
                # The same pass again: refused, with the reason, and counted once.
                trainer.click("#scan-start")
                trainer.wait_for_selector("#scan-result.bad")
                assert "counts once" in trainer.locator("#scan-result").inner_text()
                assert trainer.locator("#scan-count").inner_text() == "1 present"
        # The last session on the tick list.
        trainer.goto(server + scan_urls[2].replace("/scan/", "/attendance/"))
        trainer.locator("label:has-text('Amal Haddad') input").check()
        trainer.click("main button[type=submit]")
        trainer.goto(event_url)
        row = trainer.locator("#participants tbody tr", has_text="Amal Haddad")
        assert "100 %" in row.inner_text()
        row.locator("button:has-text('Issue')").first.click()
        trainer.wait_for_load_state()
        assert "Certificate issued." in trainer.locator("main").inner_text()
        trainer.locator("#participants a:has-text('Issued')").click()
        verify_url = trainer.locator("#verify-link").get_attribute("href")
        with trainer.expect_download() as download:
            trainer.click("main a:has-text('Download the PDF')")
        pdf = Path(download.value.path()).read_bytes()
    finally:
        camera_browser.close()

    # The QR code on the PDF leads to the public verification page.
    import pypdf
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images[0].data))
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == verify_url
    assert re.search(r"/training/verify/[A-Za-z0-9_-]{20,}/$", verify_url)
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.goto(found.text)
    assert page.locator("#verify-status").inner_text() == "This certificate is valid."
    assert page.locator("#verify-holder").inner_text() == "Amal Haddad"
    assert page.locator("#verify-title").inner_text() == WORKSHOP
    assert not serious(Axe().run(page))
    shoot(page, "training-verify-phone")
    # The participant's own page offers the certificate too.
    page.goto(pass_url)
    assert page.locator("#pass-certificate").count() == 1
    context.close()
    rows = server_query(
        "SELECT COUNT(*) FROM training_attendance a JOIN training_participant p ON p.id = a.participant_id "
        "WHERE p.name = ?",
        ("Amal Haddad",),
    )
    assert rows == [(3,)]
