from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def index(request):
    raise Http404


@login_required
def detail(request, pk):
    raise Http404
