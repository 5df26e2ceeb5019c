from ninja import Router

router = Router(tags=["Assistance cases"])
