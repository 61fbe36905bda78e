"""Problems in the caller's language: English (the default) or Russian, by ``Accept-Language``.

A problem's ``type`` (its slug) and its extension members never change with the
language: clients branch on those. What changes is what a person reads, ``title``
and ``detail`` (and each ``errors[].message`` of a 422):

- every ``title`` the platform gives has a Russian one (:data:`TITLES`, keyed by the
  English title, so a new error class with a known title needs nothing);
- a ``detail`` is translated when it is one of the catalogued sentences
  (:data:`DETAILS`): the English sentence is read back as a template, its values
  (a role, a path, a limit) taken out and put into the Russian sentence. The
  catalogue holds the shared, frequent problems: validation, API keys, roles, not
  found, rate limits, the gateway's own refusals, and the most frequent conflicts;
- any other ``detail`` (a free sentence raised deep in a service) stays English,
  under a Russian title: a half-translated answer beats a wrong one.

Translation happens on the way out, in :class:`LocalizedProblems`, an ASGI
middleware: whoever built the problem (an exception handler, the gateway's limits,
the proxy), the answer is translated once and marked ``Content-Language: ru``; the
gateway passes ``Accept-Language`` to the services and leaves an answer that a
service already translated alone. ``docs/api.md`` lists what is translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["en", "ru"]
SUPPORTED: tuple[Language, ...] = ("en", "ru")
PROBLEM_JSON = b"application/problem+json"


def negotiate(header: str | None) -> Language:
    """The language of the answer: the caller's most preferred of English and Russian.

    ``ru-RU,ru;q=0.9,en;q=0.8`` is Russian, ``en, ru`` English, ``*``, ``de`` or nothing
    English (the default); ``q=0`` refuses a language (RFC 9110 §12.5.4).
    """
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in SUPPORTED:
            continue
        weight = 1.0
        match = re.search(r"q\s*=\s*([^\s;]*)", params)
        if match:
            try:
                weight = float(match.group(1))
            except ValueError:
                continue
        if weight <= 0:
            continue
        candidate = (-weight, position, primary)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else "en"


# Every title the platform gives, with its Russian one (also HTTP reason phrases, which
# titles take for a bare ``HTTPException``).
TITLES: dict[str, str] = {
    "Bad request": "Некорректный запрос",
    "Bad Request": "Некорректный запрос",
    "Unauthorized": "Нужна аутентификация",
    "Forbidden": "Доступ запрещён",
    "Not found": "Не найдено",
    "Not Found": "Не найдено",
    "Method Not Allowed": "Метод не поддерживается",
    "Not Acceptable": "Формат ответа недоступен",
    "Request timeout": "Истекло время ожидания запроса",
    "Request Timeout": "Истекло время ожидания запроса",
    "Conflict": "Конфликт",
    "Gone": "Удалено",
    "Payload too large": "Слишком большое тело запроса",
    "Attachment too large": "Вложение слишком велико",
    "Content Too Large": "Слишком большое тело запроса",
    "Unsupported Media Type": "Неподдерживаемый тип содержимого",
    "Invalid request": "Некорректные данные запроса",
    "Unprocessable request": "Запрос не может быть обработан",
    "Unprocessable Content": "Запрос не может быть обработан",
    "Too many requests": "Слишком много запросов",
    "Too Many Requests": "Слишком много запросов",
    "Request header fields too large": "Слишком большие заголовки запроса",
    "Request Header Fields Too Large": "Слишком большие заголовки запроса",
    "Internal error": "Внутренняя ошибка",
    "Internal Server Error": "Внутренняя ошибка",
    "Bad Gateway": "Ошибка шлюза",
    "Service unavailable": "Сервис недоступен",
    "Service Unavailable": "Сервис недоступен",
    "Gateway timeout": "Сервис не ответил вовремя",
    "Gateway Timeout": "Сервис не ответил вовремя",
}


@dataclass(frozen=True)
class Template:
    """One sentence in both languages; ``{name}`` marks a value carried over."""

    en: str
    ru: str
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = re.split(r"\{(\w+)\}", self.en)
        regex = "".join(
            re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts)
        )
        object.__setattr__(self, "pattern", re.compile(regex, re.DOTALL))

    def render(self, text: str) -> str | None:
        """``text`` in Russian, or None when it is not this sentence."""
        found = self.pattern.fullmatch(text)
        return self.ru.format(**found.groupdict()) if found else None


# The catalogued details, keyed by the problem's slug ("" for a problem without one).
DETAILS: dict[str, tuple[Template, ...]] = {
    "validation-error": (
        Template(
            "Fix these fields and send again: {fields}.",
            "Исправьте эти поля и отправьте запрос снова: {fields}.",
        ),
        Template(
            "The body is not valid JSON; send a JSON object with content-type application/json.",
            "Тело запроса — не JSON; отправьте JSON-объект с content-type application/json.",
        ),
    ),
    "missing-api-key": (
        Template(
            "Send an API key as 'Authorization: Bearer <key>'; ask an admin for one.",
            "Передайте API-ключ в заголовке 'Authorization: Bearer <ключ>'; ключ выдаёт "
            "администратор.",
        ),
    ),
    "malformed-authorization": (
        Template(
            "The Authorization header is malformed; send 'Authorization: Bearer <key>'.",
            "Заголовок Authorization искажён; отправьте 'Authorization: Bearer <ключ>'.",
        ),
    ),
    "invalid-api-key": (
        Template(
            "The API key is unknown, revoked or past its rotation grace; ask an admin for a "
            "new one.",
            "API-ключ неизвестен, отозван или его срок после ротации истёк; попросите у "
            "администратора новый.",
        ),
    ),
    "not-through-gateway": (
        Template(
            "Call the platform through the API gateway with an API key "
            "('Authorization: Bearer <key>'); services do not answer direct calls.",
            "Обращайтесь к платформе через API-шлюз с API-ключом "
            "('Authorization: Bearer <ключ>'); сервисы не отвечают на прямые вызовы.",
        ),
    ),
    "bad-principal": (
        Template("Unknown principal role {role}.", "Неизвестная роль вызывающего: {role}."),
        Template(
            "The principal's customer binding is malformed.",
            "Привязка вызывающего к клиенту искажена.",
        ),
    ),
    "unbound-customer-key": (
        Template(
            "A {role} key must be bound to one customer; ask an admin for a bound key.",
            "Ключ с ролью {role} должен быть привязан к одному клиенту; попросите у "
            "администратора привязанный ключ.",
        ),
    ),
    "role-not-allowed": (
        Template(
            "A {role} key may not call {method} {path}; it needs one of: {roles}.",
            "Ключу с ролью {role} нельзя вызывать {method} {path}; нужна одна из ролей: {roles}.",
        ),
    ),
    "not-found": (
        Template(
            "No {what} with that id is visible to this key.",
            "Объект ({what}) с таким id не виден этому ключу: его нет или он принадлежит "
            "другому клиенту.",
        ),
    ),
    "unknown-ticket": (
        Template(
            "No ticket with that id is visible to this key.",
            "Заявка с таким id не видна этому ключу: её нет или она принадлежит другому клиенту.",
        ),
        Template("No SLA history for ticket {id}.", "Нет истории SLA для заявки {id}."),
        Template(
            "Notification knows no ticket {id}.", "Сервису уведомлений неизвестна заявка {id}."
        ),
    ),
    "no-ticket": (
        Template(
            "No ticket {id}; list tickets with GET /api/v1/tickets.",
            "Нет заявки {id}; список заявок — GET /api/v1/tickets.",
        ),
    ),
    "unknown-customer": (
        Template(
            "No customer {id}; list customers with GET /api/v1/customers or create one with "
            "POST /api/v1/customers.",
            "Нет клиента {id}; список клиентов — GET /api/v1/customers, создать клиента — "
            "POST /api/v1/customers.",
        ),
    ),
    "": (
        Template(
            "No route {method} {path}; see /docs for the API.",
            "Нет маршрута {method} {path}; описание API — в /docs.",
        ),
        Template(
            "No API at /api/v1/{path}; see /docs for the routes.",
            "Нет API по адресу /api/v1/{path}; маршруты перечислены в /docs.",
        ),
        Template("{method} is not allowed on {path}.", "Метод {method} недоступен для {path}."),
    ),
    "rate-limited": (
        Template(
            "This key may send {limit} requests at once; retry after {retry_after} s.",
            "Этот ключ может отправить не больше {limit} запросов сразу; повторите через "
            "{retry_after} с.",
        ),
    ),
    "payload-too-large": (
        Template(
            "The body has {size} bytes or more, over the {limit} this route accepts; send "
            "attachments by reference (a URL) rather than inline.",
            "В теле запроса {size} байт или больше, а этот маршрут принимает не больше "
            "{limit}; передавайте вложения ссылкой (URL), а не внутри запроса.",
        ),
        Template(
            "The body has {size} bytes or more, over the {limit} this route accepts; send "
            "attachments by reference (a URL) rather than inline, or upload files to "
            "POST /api/v1/tickets/{id}/attachments (several uploads for more).",
            "В теле запроса {size} байт или больше, а этот маршрут принимает не больше "
            "{limit}; передавайте вложения ссылкой (URL), а не внутри запроса, или "
            "загружайте файлы через POST /api/v1/tickets/{id}/attachments (по одному "
            "или несколькими загрузками).",
        ),
    ),
    "headers-too-large": (
        Template(
            "Send at most {count} headers of at most {each} bytes each and {total} bytes in "
            "all; this request had {had} headers, {bytes} bytes, the largest {largest}.",
            "Отправляйте не больше {count} заголовков, каждый не больше {each} байт, всего "
            "не больше {total} байт; в этом запросе {had} заголовков, {bytes} байт, самый "
            "большой — {largest}.",
        ),
    ),
    "body-timeout": (
        Template(
            "The body stalled for over {seconds} s; send it at once, or send no more "
            "Content-Length than the body has.",
            "Тело запроса не поступало дольше {seconds} с; отправляйте его сразу и не "
            "указывайте Content-Length больше настоящего размера.",
        ),
    ),
    "invalid-path": (
        Template(
            "The path contains control characters; percent-encode or remove them.",
            "Путь содержит управляющие символы; закодируйте их (percent-encoding) или уберите.",
        ),
        Template(
            "The request's path or query cannot be forwarded; check its encoding.",
            "Путь или параметры запроса нельзя передать сервису; проверьте их кодировку.",
        ),
    ),
    "invalid-content-length": (
        Template(
            "Content-Length must be a non-negative whole number of bytes.",
            "Content-Length должен быть неотрицательным целым числом байт.",
        ),
    ),
    "upstream-timeout": (
        Template(
            "The {service} service did not answer in time; retry with the same Idempotency-Key.",
            "Сервис {service} не ответил вовремя; повторите запрос с тем же Idempotency-Key.",
        ),
    ),
    "service-unavailable": (
        Template(
            "The {service} service is unavailable ({error}); retry shortly.",
            "Сервис {service} недоступен ({error}); повторите запрос чуть позже.",
        ),
    ),
    "database-unavailable": (
        Template(
            "The database connection failed; nothing was changed. Retry shortly.",
            "Соединение с базой данных потеряно; ничего не изменено. Повторите запрос чуть позже.",
        ),
    ),
    "request-interrupted": (
        Template(
            "The request's body did not arrive in full (the connection closed or the server "
            "is restarting); nothing was done, send it again.",
            "Тело запроса пришло не полностью (соединение закрылось или сервер "
            "перезапускается); ничего не сделано, отправьте запрос снова.",
        ),
    ),
    "value-out-of-range": (
        Template(
            "A value cannot be stored or computed: it is out of range or contains a NUL "
            "character{where}. Check dates, numbers and text, then send again.",
            "Значение нельзя сохранить или вычислить: оно вне допустимого диапазона или "
            "содержит символ NUL{where}. Проверьте даты, числа и текст и отправьте снова.",
        ),
    ),
    "internal-error": (
        Template(
            "The server failed to handle this request; it has been logged. Retry later.",
            "Сервер не смог обработать запрос; ошибка записана в журнал. Повторите позже.",
        ),
    ),
    "illegal-transition": (
        Template(
            "Cannot {action} a ticket that is {status}: {action2} applies only to a ticket "
            "that is {sources}. Allowed now: {allowed}.",
            "Действие {action} недоступно для заявки в статусе {status}: оно применимо "
            "только к статусам {sources}. Сейчас доступно: {allowed}.",
        ),
    ),
    "not-your-move": (
        Template(
            "Only {who} may {action} a ticket; act as {who2} or ask them.",
            "Действие {action} с заявкой может выполнить только {who}.",
        ),
    ),
    "assignee-required": (
        Template(
            'Taking a ticket into work needs an assignee: send "assignee": "<engineer>".',
            'Чтобы взять заявку в работу, укажите исполнителя: "assignee": "<инженер>".',
        ),
    ),
    "contact-taken": (
        Template(
            "{who} is already an active contact of a customer; a person opens tickets for "
            "one customer only. Deactivate that contact first.",
            "{who} уже активный контакт клиента; человек открывает заявки только для одного "
            "клиента. Сначала деактивируйте тот контакт.",
        ),
    ),
    "contact-limit": (
        Template(
            "Customer {customer} already has {limit} active contacts, the most the support "
            "programme allows (rules, section 2). Deactivate one "
            "(POST .../contacts/{contact_id}/deactivate) to free a place.",
            "У клиента {customer} уже {limit} активных контакта — больше программа "
            "поддержки не допускает (правила, раздел 2). Деактивируйте один "
            "(POST .../contacts/{contact_id}/deactivate), чтобы освободить место.",
        ),
    ),
}

# pydantic's messages of a 422's ``errors[]`` (the ``type`` stays as it is).
FIELD_MESSAGES: tuple[Template, ...] = (
    Template("Field required", "Обязательное поле"),
    Template("Extra inputs are not permitted", "Лишние поля не допускаются"),
    Template(
        "String should have at least {n} character{s}",
        "Строка должна содержать не меньше {n} симв.",
    ),
    Template(
        "String should have at most {n} character{s}",
        "Строка должна содержать не больше {n} симв.",
    ),
    Template("Input should be greater than or equal to {n}", "Значение должно быть не меньше {n}"),
    Template("Input should be less than or equal to {n}", "Значение должно быть не больше {n}"),
    Template("Input should be greater than {n}", "Значение должно быть больше {n}"),
    Template("Input should be less than {n}", "Значение должно быть меньше {n}"),
    Template("Value error, {reason}", "Недопустимое значение: {reason}"),
    Template(
        "value is not a valid email address: {reason}",
        "некорректный адрес электронной почты: {reason}",
    ),
    # Last: the catch-all of "Input should be ..." (an enum's or a literal's choices).
    Template("Input should be {expected}", "Допустимые значения: {expected}"),
)


def _translated(text: str, templates: tuple[Template, ...]) -> str | None:
    for template in templates:
        rendered = template.render(text)
        if rendered is not None:
            return rendered
    return None


def localize(body: dict[str, Any], language: Language) -> dict[str, Any]:
    """``body`` (a problem) with its title, detail and field messages in ``language``.

    Catalogued sentences are translated; any other detail stays as it was (English).
    """
    if language == "en":
        return body
    out = dict(body)
    title = body.get("title")
    if isinstance(title, str):
        out["title"] = TITLES.get(title, title)
    detail = body.get("detail")
    kind = str(body.get("type", ""))
    slug = kind.removeprefix("/problems/") if kind.startswith("/problems/") else ""
    if isinstance(detail, str):
        out["detail"] = _translated(detail, DETAILS.get(slug, ())) or detail
    errors = body.get("errors")
    if isinstance(errors, list):
        out["errors"] = [_field_error(e) for e in errors]
    return out


def _field_error(error: Any) -> Any:
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return error
    message = _translated(error["message"], FIELD_MESSAGES)
    return {**error, "message": message} if message else error


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _header(headers: Any, name: bytes) -> bytes:
    for key, value in headers or ():
        if key.lower() == name:
            return bytes(value)
    return b""


class LocalizedProblems:
    """Pure ASGI: translate problem+json answers for a caller that prefers Russian.

    Anything else (an English caller, a non-problem answer, a problem a service already
    translated: ``Content-Language`` set) passes through untouched and unbuffered.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = negotiate(_header(scope.get("headers"), b"accept-language").decode("latin-1"))
        if language == "en":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if _header(headers, b"content-type").startswith(PROBLEM_JSON) and not _header(
                    headers, b"content-language"
                ):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await _send_translated(send, held, b"".join(chunks), language)
                held = None
                return
            await send(message)

        await self.app(scope, receive, sending)


async def _send_translated(send: Send, start: Message, raw: bytes, language: Language) -> None:
    try:
        body = json.dumps(localize(json.loads(raw), language), ensure_ascii=False).encode()
    except ValueError:
        body = raw  # not JSON after all: send it as it came
    headers = [
        (k, v)
        for k, v in start.get("headers", [])
        if k.lower() not in {b"content-length", b"content-language"}
    ]
    headers += [(b"content-length", str(len(body)).encode()), (b"content-language", b"ru")]
    headers.append((b"vary", b"accept-language"))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
