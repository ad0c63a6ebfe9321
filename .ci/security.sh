#!/usr/bin/env bash
# Security checks CI runs (after the suite): Django's deployment checks on production settings,
# pip-audit on both lock files, bandit on the code at medium severity. Each fails the run on a
# finding that is not explained in its file beside this one (bandit.yaml, pip-audit-ignore.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== manage.py check --deploy (production settings) =="
env -u DEBUG -u SECURE_COOKIES -u DATABASE_URL -u REDIS_URL \
  SECRET_KEY="ci-deploy-check-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  ALLOWED_HOSTS=dialogue.example.org SITE_URL=https://dialogue.example.org SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

echo "== bandit (medium severity and above) =="
.venv/bin/bandit -q -c .ci/bandit.yaml -r . --severity-level medium

echo "== pip-audit (requirements.lock, requirements-dev.lock) =="
ignored=()
while read -r id _; do
  [[ -z "$id" || "$id" == \#* ]] || ignored+=(--ignore-vuln "$id")
done < .ci/pip-audit-ignore.txt
for lock in requirements.lock requirements-dev.lock; do
  # --no-deps: the lock files pin everything already. A finding exits non-zero and fails CI.
  # Packages the advisory service cannot be asked about are listed as skipped: counted below.
  report=$(.venv/bin/pip-audit -r "$lock" --no-deps --disable-pip --progress-spinner off \
    "${ignored[@]}" 2>&1) || { echo "$report"; echo "pip-audit: findings in $lock"; exit 1; }
  skipped=$(grep -c "could not be audited" <<<"$report" || true)
  audited=$(grep -c "==" "$lock" || true)
  echo "$lock: no known vulnerability; $skipped of $audited pinned packages could not be audited"
  if [[ "$skipped" -gt 0 ]]; then
    echo "  WARNING: the vulnerability service did not answer for those packages" \
      "(PyPI's per-release JSON API; this CI machine reaches only the package index)."
  fi
done
