from ninja import Router

router = Router(tags=["Nationals abroad"])
