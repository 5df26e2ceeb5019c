app_name = "nationals"
urlpatterns = []
