"""The REST API (django-ninja) at /api/: token authentication, Vietnamese error bodies, and the routers
of the apps. Every handler goes through the same selectors, rules and services as the pages, so the API
can do exactly what the person holding the token could do on screen, no more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from thidua.accounts.models import User
from thidua.accounts.tokens import token_user
from thidua.blocs.api import router as blocs_router
from thidua.core.errors import forbidden_code, validation_code
from thidua.core.middleware import busy_response, is_database_busy
from thidua.directives.api import router as directives_router
from thidua.movements.api import router as movements_router
from thidua.proposals.api import router as proposals_router
from thidua.registrations.api import router as registrations_router

DESCRIPTION = """\
Giao diện lập trình (REST API) của hệ thống Thi Đua: hồ sơ đề nghị khen thưởng, thẩm định, Hội đồng
Thi đua – Khen thưởng, quyết định khen thưởng, phong trào thi đua và báo cáo tiến độ, chấm điểm và xếp
hạng khối, cụm thi đua, thông báo.

**Xác thực.** Mỗi yêu cầu gửi kèm tiêu đề `Authorization: Bearer <khóa>`. Người dùng tạo khóa tại trang
«Khóa truy cập API» (`/tai-khoan/khoa-api/`), quản trị hệ thống cũng tạo được bằng lệnh
`thidua api_token TÊN_ĐĂNG_NHẬP --name "tên khóa"`; khóa chỉ hiện một lần. Khóa có đúng quyền và phạm vi
dữ liệu của tài khoản đó, như khi dùng giao diện web. Khóa hết hạn sau 90 ngày và bị thu hồi khi tài khoản
đổi mật khẩu hoặc bị khóa tạm thời vì nhập sai mật khẩu nhiều lần.

**Xác thực lại.** Ban hành quyết định và hủy bỏ khen thưởng cần trường `code`: mã hiện tại của ứng dụng
xác thực của tài khoản (mỗi mã dùng một lần), hoặc mật khẩu nếu tài khoản chưa bật xác thực hai lớp;
sai hoặc thiếu thì 403 `reauth_required`, không ghi gì.

**Lỗi.** Mọi lỗi trả về `{"detail": "...", "code": "..."}`: `detail` là thông báo tiếng Việt, `code` là
mã ổn định để phần mềm xử lý. 400 khi thao tác bị từ chối, không ghi gì (mã của lý do, mặc định
`invalid`; `body_unreadable` khi không đọc được nội dung), 401 `unauthenticated` khi thiếu hoặc sai khóa,
403 khi vai trò không được làm thao tác (`forbidden` hoặc mã cụ thể hơn; `reauth_required` khi thiếu
hoặc sai mã xác thực lại), 404 `not_found` khi không có
hoặc nằm ngoài phạm vi dữ liệu, 422 `invalid_input` khi dữ liệu gửi lên sai kiểu (kèm `errors` theo trường),
503 `busy` khi cơ sở dữ liệu đang bận ghi (không ghi gì; thử lại sau số giây trong tiêu đề `Retry-After`).
"""


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token.strip())
        if user is not None:
            # Code that reads request.user (history, rules in templates) sees the token's owner.
            request.user = user
        return user


def _docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The documentation page is for signed-in users (issue 13, item 6); the OpenAPI description it reads
    stays open, as the source code that it describes is: clients generate their code from it."""
    func = getattr(view, "func", None)
    if getattr(func, "__name__", "") == "openapi_view":
        return login_required(view)
    return view


class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese text stays readable in the raw response instead of \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Thi Đua API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    renderer=Utf8JSONRenderer(),
    docs_decorator=_docs_login_required,
)
api.add_router("/", proposals_router)
api.add_router("/", movements_router)
api.add_router("/", directives_router)
api.add_router("/", registrations_router)
api.add_router("/", blocs_router)


def _error(request: HttpRequest, detail: Any, status: int, code: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        _("Chưa xác thực: cần gửi khóa truy cập hợp lệ trong tiêu đề “Authorization: Bearer <khóa>”."),
        401,
        "unauthenticated",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja's own refusals are in English; the body that could not be read is the usual one.
    messages = {
        400: _("Không đọc được nội dung yêu cầu: cần JSON hợp lệ (hoặc multipart khi gửi tệp)."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        429: _("Gửi quá nhiều yêu cầu; hãy thử lại sau."),
    }
    codes = {
        400: "body_unreadable",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        429: "throttled",
    }
    return _error(
        request, messages.get(exc.status_code, str(exc)), exc.status_code, codes.get(exc.status_code, "error")
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("Bạn không có quyền thực hiện thao tác này.")
    return _error(request, detail, 403, forbidden_code(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, _("Không tìm thấy."), 404, "not_found")


@api.exception_handler(OperationalError)
def _busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    if not is_database_busy(exc):
        raise exc
    return busy_response(request)


@api.exception_handler(ValidationError)
def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, " ".join(str(m) for m in exc.messages), 400, validation_code(exc))


def api_error_bodies(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: the two refusals that never reach the API's handlers, an address under /api/ that
    does not exist (Django's HTML 404 page) and a method the address does not take (django-ninja's plain
    "Method not allowed"), answer in the API's shape too."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code in (404, 405)
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                body = {"detail": _("Không tìm thấy."), "code": "not_found"}
            else:
                body = {
                    "detail": _("Địa chỉ này không nhận phương thức {method}.").format(method=request.method),
                    "code": "method_not_allowed",
                }
            replaced = JsonResponse(
                body, status=response.status_code, json_dumps_params={"ensure_ascii": False}
            )
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response

    return middleware


@api.exception_handler(SchemaValidationError)
def _malformed(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    # The machine-readable list stays for clients; the sentence is for the person reading the response.
    places = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors)
    return api.create_response(
        request,
        {
            "detail": _("Dữ liệu gửi lên không hợp lệ: {fields}.").format(fields=places),
            "code": "invalid_input",
            "errors": exc.errors,
        },
        status=422,
    )
