from bpdialogue.celery import app

from .services import password_reset_send, sign_in_invitation_send


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset(
    *, email: str, domain: str, use_https: bool, language: str | None = None
) -> None:
    password_reset_send(email=email, domain=domain, use_https=use_https, language=language)


@app.task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sign_in_invitation(*, user_id: int, site_url: str) -> None:
    sign_in_invitation_send(user_id=user_id, site_url=site_url)
