from ninja import Router

router = Router(tags=["Travel advice"])
