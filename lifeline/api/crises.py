from ninja import Router

router = Router(tags=["Crises and check-ins"])
