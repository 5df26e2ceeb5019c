from ninja import Router

# Endpoints for the nationals' app (device-token auth), mounted under /api/app/.
router = Router(tags=["App for nationals"])
