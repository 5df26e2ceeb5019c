"""The one certificate service: events issue certificates of attendance here, eLearning (later) its
certificates of completion through ``issue`` too.

A certificate keeps the holder's name, what it is for, its date and its issuer as they were when
issued. It is verified at a public page whose address carries an unguessable ``code`` (never the
sequential id), printed on the PDF as a QR code (segno). Revoking needs a reason, which the audit
log keeps with the change; a revoked certificate still verifies, as revoked.
"""

import base64

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.core import audit
from lifeline.core.errors import Invalid
from lifeline.core.models import Action, Area, AuditAction
from lifeline.core.permissions import has_perm
from lifeline.training.models import Certificate, Participant, ParticipantStatus
from lifeline.training.services import attended_share


def _require(by, organisation):
    if not has_perm(by, Area.TRAINING, Action.CHANGE):
        raise PermissionDenied
    from lifeline.core.permissions import organisation_ids_for

    ids = organisation_ids_for(by, Area.TRAINING)
    if ids is not None and organisation.pk not in ids:
        raise PermissionDenied


def eligible(participant):
    """Whether the participant attended enough of the event's sessions (the event's required share)."""
    if participant.status != ParticipantStatus.REGISTERED:
        return False
    return (
        participant.event.sessions.exists()
        and attended_share(participant) >= participant.event.attendance_required
    )


def issue(by, *, organisation, holder_name, title, issued_on=None, issuer_name="", participant=None):
    """Issue a certificate (the one path, for events and courses alike), audited as ``by``."""
    _require(by, organisation)
    if not str(holder_name or "").strip() or not str(title or "").strip():
        raise Invalid({"__all__": [_("A certificate needs the holder's name and what it is for.")]})
    certificate = Certificate(
        organisation=organisation,
        participant=participant,
        holder_name=holder_name.strip()[:200],
        title=title.strip()[:300],
        issued_on=issued_on or timezone.localdate(),
        issuer_name=(issuer_name or organisation.name)[:200],
    )
    with audit.acting_as(by, ip=audit.current_actor().ip), transaction.atomic():
        certificate.save()
    return certificate


def issue_for_participant(by, participant):
    """A certificate of attendance for a participant who attended enough; refused (``Invalid``) for one
    who did not, or who holds a valid one already."""
    event = participant.event
    _require(by, event.organisation)
    if participant.certificates.filter(revoked_at__isnull=True).exists():
        raise Invalid(
            {"__all__": [_("%(name)s already holds a valid certificate.") % {"name": participant.name}]}
        )
    if not eligible(participant):
        raise Invalid(
            {
                "__all__": [
                    _("%(name)s attended %(share)s of the sessions; %(required)s are required.")
                    % {
                        "name": participant.name,
                        "share": f"{attended_share(participant)} %",
                        "required": f"{event.attendance_required} %",
                    }
                ]
            }
        )
    return issue(
        by,
        organisation=event.organisation,
        holder_name=participant.name,
        title=event.title,
        issued_on=timezone.localdate(event.ends),
        issuer_name=event.organisation.name,
        participant=participant,
    )


def issue_all(by, event):
    """Certificates for every eligible participant of ``event`` who holds none yet; returns how many."""
    _require(by, event.organisation)
    done = 0
    for participant in Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED):
        if eligible(participant) and not participant.certificates.filter(revoked_at__isnull=True).exists():
            issue_for_participant(by, participant)
            done += 1
    return done


def revoke(by, certificate, reason):
    """Revoke a certificate, with a reason (kept on it and in the audit log)."""
    _require(by, certificate.organisation)
    reason = str(reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Say why the certificate is revoked.")]})
    if certificate.revoked_at is not None:
        raise Invalid({"__all__": [_("This certificate is already revoked.")]})
    with audit.acting_as(by, ip=audit.current_actor().ip), transaction.atomic():
        now = timezone.now()
        Certificate.objects.filter(pk=certificate.pk).update(revoked_at=now, revoked_reason=reason[:300])
        certificate.revoked_at, certificate.revoked_reason = now, reason[:300]
        audit.record(
            AuditAction.UPDATE, obj=certificate, fields=["revoked_at", "revoked_reason"], reason=reason
        )
    return certificate


def verify(code):
    """The certificate a verification code names, or None (no sequential id ever reaches it)."""
    code = str(code or "").strip()
    if not code or len(code) > 32:
        return None
    return Certificate.objects.select_related("organisation").filter(code=code).first()


def qr_png(url):
    """The QR code of ``url`` as PNG bytes (segno)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def pdf(certificate, verify_url):
    """The certificate as a one-page PDF (WeasyPrint) with the QR code of its verification page."""
    from weasyprint import HTML

    from lifeline.core.models import Branding

    qr = "data:image/png;base64," + base64.b64encode(qr_png(verify_url)).decode()
    html = render_to_string(
        "training/certificate_pdf.html",
        {"certificate": certificate, "qr": qr, "verify_url": verify_url, "branding": Branding.current()},
    )
    return HTML(string=html).write_pdf()


def for_event(event):
    return Certificate.objects.filter(participant__event=event)
