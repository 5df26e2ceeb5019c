import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lifeline.core.models import Action, Area, AuditEntry, Branding, Role, RolePermission, Scope


def _png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (1, 1), "#123456").save(out, format="PNG")  # logos are decoded: it must be whole
    return out.getvalue()


PNG = _png()


def _branding(**extra):
    return {
        "product_name": "SafeReach",
        "owner_name": "Civil Protection",
        "primary_colour": "#123456",
        "accent_colour": "#654321",
        "streams": "host",
        "languages": ["en", "ar"],
        "save_branding": "1",
        **extra,
    }


def test_administrator_changes_branding_shown_on_every_page(login, make_user, org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(make_user(org_a, role=Role.ADMINISTRATOR, scope=Scope.DEPLOYMENT))
    response = client.post(
        reverse("settings"), _branding(logo=SimpleUploadedFile("logo.png", PNG, "image/png"))
    )
    assert response.status_code == 302
    branding = Branding.current()
    assert branding.product_name == "SafeReach" and branding.logo.name.startswith("branding/")
    page = client.get(reverse("contacts:list")).content.decode()
    assert "SafeReach" in page and "--primary: #123456" in page and branding.logo.url in page
    assert '<option value="fr"' not in page  # only the languages offered
    assert AuditEntry.objects.filter(action="settings").exists()


def test_branding_refuses_bad_colours_and_fake_images(login, make_user, org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(make_user(org_a, role=Role.ADMINISTRATOR))
    response = client.post(
        reverse("settings"),
        _branding(primary_colour="red", logo=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")),
    )
    assert response.status_code == 200
    assert b"#RRGGBB" in response.content and b"PNG or JPEG" in response.content
    assert Branding.objects.count() == 0


def test_generated_spreadsheets_carry_the_branding(org_a):
    import openpyxl

    from lifeline.core.tabular import export_table
    from lifeline.directory.models import KeyContact
    from lifeline.directory.tabular import ContactSchema

    Branding.objects.create(product_name="SafeReach", owner_name="Civil Protection")
    book = openpyxl.load_workbook(
        io.BytesIO(export_table(ContactSchema(), KeyContact.objects.all(), fmt="xlsx"))
    )
    assert book.properties.creator == "SafeReach" and "SafeReach" in book.properties.title


def test_role_matrix_is_tuned_and_audited(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR))
    form = client.get(reverse("settings")).context["matrix_form"]
    data = {name: "on" for name, field in form.fields.items() if form.initial.get(name, field.initial)}
    data["viewer__contacts__export"] = "on"
    data["save_matrix"] = "1"
    assert client.post(reverse("settings"), data).status_code == 302
    assert RolePermission.objects.get(role=Role.VIEWER, area=Area.CONTACTS, action=Action.EXPORT).allowed
    entry = AuditEntry.objects.filter(action="settings", object_type="core.rolepermission").latest("id")
    assert entry.fields == ["viewer.contacts.export"]


def test_role_matrix_refuses_actions_without_view(login, make_user, org_a):
    client = login(make_user(org_a, role=Role.ADMINISTRATOR))
    form = client.get(reverse("settings")).context["matrix_form"]
    data = {name: "on" for name, field in form.fields.items() if form.initial.get(name, field.initial)}
    data.pop("officer__contacts__view")  # officers keep change: refused
    data["save_matrix"] = "1"
    response = client.post(reverse("settings"), data)
    assert response.status_code == 200 and b"view an area before" in response.content
    assert RolePermission.objects.get(role=Role.OFFICER, area=Area.CONTACTS, action=Action.VIEW).allowed


def test_coordinator_cannot_open_settings(login, make_user, org_a):
    assert login(make_user(org_a, role=Role.COORDINATOR)).get(reverse("settings")).status_code == 403


def test_django_admin_is_for_superusers_only(login, make_user, org_a, django_user_model):
    staff = make_user(org_a, role=Role.ADMINISTRATOR, is_staff=True)
    assert login(staff).get("/admin/").status_code == 302
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "pw-long-enough-123")
    assert login(superuser).get("/admin/").status_code == 200
