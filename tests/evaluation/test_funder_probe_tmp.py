# TEMPORARY probe (deleted after use): writes a sample PDF and screenshots of the web page.
import shutil
import pytest
from playwright.sync_api import sync_playwright
from django.urls import reverse

from evaluation import exports, funder_report
from tests.evaluation.kpi_history import START, D
from tests.evaluation.test_funder_report import history, lead, media  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_probe(history, lead, media, live_server, client):
    record = funder_report.funder_pdf_request(user=lead, program=history, on=D, start=START, end=D)
    exports.export_build(record_id=record.pk)
    record.refresh_from_db()
    print(record.status, record.error)
    shutil.copy(media / record.file, "/tmp/issue16/funder_probe/sample.pdf")
    client.force_login(lead)
    session = client.cookies["sessionid"].value
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
        page = context.new_page()
        url = live_server.url + reverse("evaluation:funder_report", args=[history.slug]) + f"?on={D}&start={START}&end={D}"
        page.goto(url)
        page.screenshot(path="/tmp/issue16/funder_probe/web.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.screenshot(path="/tmp/issue16/funder_web.png")
        page.emulate_media(media="print")
        page.screenshot(path="/tmp/issue16/funder_probe/web_print.png", full_page=True)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path="/tmp/issue16/funder_probe/web_375.png", full_page=True)
        print("overflow", page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
        import glob, os
        os.system("python3 /tmp/issue16/funder_probe/pdf2svg.py /tmp/issue16/funder_probe/sample.pdf /tmp/issue16/funder_probe/svg")
        page.set_viewport_size({"width": 1191, "height": 1684})
        for f in sorted(glob.glob("/tmp/issue16/funder_probe/svg/page*.svg")):
            page.goto("file://" + f)
            page.screenshot(path=f.replace(".svg", ".png"))
        browser.close()
