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
  location.href = sameSite(PT.param("next"));
});

/* Only a path of this site: "/\\evil.example", "//evil.example", "https://…" and the like resolve to
   another origin and are dropped for "/". */
function sameSite(next) {
  if (!next) return "/";
  let url;
  try { url = new URL(next, location.origin); } catch (e) { return "/"; }
  if (url.origin !== location.origin || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  return url.pathname + url.search + url.hash;
}
