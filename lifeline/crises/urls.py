app_name = "crises"
urlpatterns = []
