"use strict";
document.getElementById("login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const t = document.getElementById("token").value.trim();
  const msg = document.getElementById("msg");
  msg.textContent = "验证中…";
  const r = await fetch("/api/me", { headers: { Authorization: "Bearer " + t } });
  if (!r.ok) { msg.textContent = "令牌无效，请检查后重试。"; return; }
  PT.setToken(t, document.getElementById("remember").checked);
  const m = await r.json();
  sessionStorage.setItem("plantalent.me", JSON.stringify(m));
  const next = PT.param("next");
  location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
});
