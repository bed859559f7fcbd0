app_name = "binders"

urlpatterns: list = []
