"""The pages' languages (RU/EN) and their words; which language a request gets.

A page module registers its own words with :func:`register` (one dictionary per
language), so the portal's and the desk's texts live next to their pages.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
LANG_COOKIE = "desk_lang"

_WORDS: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}


def register(words: Mapping[str, Mapping[str, str]]) -> None:
    """Add words: ``{"en": {"key": "text"}, "ru": {"key": "текст"}}`` (both languages)."""
    missing = set(words["en"]) ^ set(words["ru"])
    if missing:  # a page in one language only would show a key instead of a word
        raise ValueError(f"words without both languages: {sorted(missing)}")
    for lang in LANGUAGES:
        _WORDS[lang].update(words[lang])


def words(lang: str) -> dict[str, str]:
    """Every registered word in ``lang``."""
    return _WORDS[lang if lang in LANGUAGES else DEFAULT]


def choose(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: ``?lang=``, then the remembered choice, then the browser's
    ``Accept-Language`` in its order of preference, then Russian."""
    for candidate in (query, cookie):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()[:2]))
    for _q, _i, lang in sorted(ranked):
        if lang in LANGUAGES:
            return lang
    return DEFAULT


register(
    {
        "en": {
            "skip": "Skip to content",
            "language": "Language",
            "sign_out": "Sign out",
            "signed_in_as": "Signed in as",
            "portal": "Customer portal",
            "desk": "Agent workspace",
            "email": "Email",
            "password": "Password",
            "password_again": "Password again",
            "sign_in": "Sign in",
            "portal_sign_in": "Sign in to the customer portal",
            "portal_sign_in_hint": "Enter the email your company registered with us; we will "
            "mail you a sign-in link valid for 15 minutes.",
            "send_link": "Email me a sign-in link",
            "link_sent": "If this address belongs to a registered contact, a sign-in link is on "
            "its way. It works once, for 15 minutes. Check your mailbox.",
            "too_many": "Too many sign-in requests. Wait 15 minutes and try again.",
            "bad_email": "Enter an email address, such as name@company.example.",
            "link_invalid": "This sign-in link is used up or expired. Ask for a new one below.",
            "desk_sign_in": "Staff sign-in",
            "wrong_credentials": "The email or password is wrong.",
            "oidc_sign_in": "Sign in with the company account",
            "oidc_refused": "The company account could not sign you in here: it is not the "
            "address of an active staff member, or the sign-in expired. Try again.",
            "set_password": "Set your password",
            "set_password_hint": "At least 12 characters. You will sign in with your work "
            "email and this password.",
            "password_short": "The password must be at least 12 characters long.",
            "password_mismatch": "The two passwords differ; type the same one twice.",
            "invitation_invalid": "This invitation is used up or expired; ask an admin for a "
            "new one.",
            "password_set": "Your password is set. Sign in below.",
            "signed_out": "You are signed out.",
            "session_ended": "Your session has ended. Sign in again.",
            "not_found": "Page not found",
            "not_found_hint": "There is nothing here, or it is not visible to you.",
            "error": "Something went wrong",
            "home": "Home",
            "forbidden_origin": "This form must be sent from the platform's own page.",
            "csrf_failed": "This form is out of date; reload the page and try again.",
        },
        "ru": {
            "skip": "Перейти к содержимому",
            "language": "Язык",
            "sign_out": "Выйти",
            "signed_in_as": "Вы вошли как",
            "portal": "Портал клиента",
            "desk": "Рабочее место инженера",
            "email": "Электронная почта",
            "password": "Пароль",
            "password_again": "Пароль ещё раз",
            "sign_in": "Войти",
            "portal_sign_in": "Вход на портал клиента",
            "portal_sign_in_hint": "Укажите адрес, который ваша компания зарегистрировала у нас; "
            "мы пришлём ссылку для входа, она действует 15 минут.",
            "send_link": "Прислать ссылку для входа",
            "link_sent": "Если этот адрес принадлежит зарегистрированному контакту, ссылка для "
            "входа уже отправлена. Она действует один раз в течение 15 минут. Проверьте почту.",
            "too_many": "Слишком много запросов на вход. Подождите 15 минут и попробуйте снова.",
            "bad_email": "Укажите адрес электронной почты, например name@company.example.",
            "link_invalid": "Эта ссылка уже использована или устарела. Запросите новую ниже.",
            "desk_sign_in": "Вход для сотрудников",
            "wrong_credentials": "Неверный адрес или пароль.",
            "oidc_sign_in": "Войти через корпоративную учётную запись",
            "oidc_refused": "Вход через корпоративную учётную запись не удался: это не адрес "
            "действующего сотрудника, или вход устарел. Попробуйте снова.",
            "set_password": "Задайте пароль",
            "set_password_hint": "Не короче 12 символов. Для входа используйте рабочий адрес "
            "и этот пароль.",
            "password_short": "Пароль должен быть не короче 12 символов.",
            "password_mismatch": "Пароли не совпадают; введите один и тот же пароль дважды.",
            "invitation_invalid": "Приглашение уже использовано или устарело; попросите "
            "администратора прислать новое.",
            "password_set": "Пароль задан. Войдите ниже.",
            "signed_out": "Вы вышли.",
            "session_ended": "Сеанс завершён. Войдите снова.",
            "not_found": "Страница не найдена",
            "not_found_hint": "Здесь ничего нет, или это вам не видно.",
            "error": "Что-то пошло не так",
            "home": "На главную",
            "forbidden_origin": "Эту форму нужно отправлять со страницы самой платформы.",
            "csrf_failed": "Форма устарела; обновите страницу и попробуйте снова.",
        },
    }
)
