// Tollgate billing components: <tollgate-pricing>, <tollgate-checkout-return>, <tollgate-account>.
// Served by Tollgate at /billing/tollgate.js (plain ES module, no build step). README "Billing pages".
//
//   import { configure } from "https://billing.example.com/billing/tollgate.js";
//   configure({ apiBase: "https://billing.example.com", getToken: async () => myAuth.accessToken() });
//
// The page's own auth supplies the token (getToken); nothing secret is ever part of this script or the page.

export const VERSION = "1";

/** Every text the components show; override any of them with configure({ texts: { ... } }) or element.texts. */
export const TEXTS = {
  monthly: "Monthly",
  yearly: "Yearly",
  billingInterval: "Billing interval",
  currency: "Currency",
  perMonth: "/ month",
  perYear: "/ year",
  perSeat: "per seat",
  seats: "Seats",
  free: "Free",
  trial: "{days}-day free trial",
  subscribe: "Subscribe to {plan}",
  buy: "Buy {pack}",
  credits: "{credits} credits",
  creditsExpire: "valid for {days} days",
  creditsPerPeriod: "{credits} credits every period",
  plans: "Plans",
  packs: "Credit packs",
  features: "Features",
  included: "included",
  notIncluded: "not included",
  redirecting: "Redirecting to checkout…",
  loading: "Loading…",
  confirming: "Confirming your payment…",
  returnPlan: "You are now on the {plan} plan.",
  returnTrial: "Your {plan} trial has started.",
  returnCredits: "Payment received: your balance is {balance} credits.",
  returnUnpaid: "The payment was not completed.",
  returnCanceled: "Checkout was canceled; nothing was charged.",
  returnMissing: "No checkout session to confirm.",
  account: "Billing",
  plan: "Plan",
  status: "Status",
  interval: "Billing interval",
  periodEnd: "Current period ends",
  trialEnds: "Trial ends",
  cancelsOn: "Cancels on {date}",
  noSubscription: "No subscription",
  cancel: "Cancel subscription",
  cancelConfirm: "Cancel at the end of the current period ({date})? You keep the plan until then.",
  cancelYes: "Yes, cancel",
  keep: "Keep subscription",
  resume: "Resume subscription",
  change: "Change plan",
  changeTo: "New plan",
  changeConfirm: "Switch to {plan} ({interval})? Prorations apply to the current period.",
  changeYes: "Yes, switch",
  back: "Back",
  portal: "Manage payment methods",
  paymentAction: "Your payment of {amount} needs your confirmation.",
  completePayment: "Complete payment",
  creditsTitle: "Credits",
  balance: "Balance",
  expiring: "{amount} credits expire on {date}",
  payments: "Payments",
  invoices: "Invoices",
  licenses: "Licenses",
  date: "Date",
  amount: "Amount",
  number: "Number",
  description: "Description",
  pdf: "PDF",
  receipt: "Receipt",
  key: "Key",
  none: "None yet",
  previous: "Previous",
  next: "Next",
  live: "Live updates on",
  offline: "Reconnecting…",
  error: "Something went wrong",
};

const shared = { apiBase: "", getToken: null, texts: {}, locale: undefined };

/** Sets what every component uses unless the element has its own (api-base attribute, getToken/texts properties). */
export function configure(options = {}) {
  Object.assign(shared, options, { texts: { ...shared.texts, ...(options.texts || {}) } });
  document.querySelectorAll("tollgate-pricing, tollgate-checkout-return, tollgate-account").forEach((el) => {
    if (el.isConnected && typeof el.refresh === "function") {
      clearTimeout(el.pending);
      el.refresh();
    }
  });
}

/** A failed API call, from its problem+json body: what the components show is title and detail, never raw JSON. */
export class Problem extends Error {
  constructor(status, title, detail, body) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body;
  }
}

const STYLE = `
:host { display: block; font-family: var(--tollgate-font, inherit); color: var(--tollgate-text, inherit);
  --_accent: var(--tollgate-accent, #635bff); --_border: var(--tollgate-border, #d8dde6);
  --_radius: var(--tollgate-radius, 8px); --_muted: var(--tollgate-muted, #5c6370);
  --_background: var(--tollgate-background, #fff); --_error: var(--tollgate-error, #b42318); }
* { box-sizing: border-box; }
.cards { display: grid; gap: var(--tollgate-gap, 1rem); grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); }
.card, section { background: var(--_background); border: 1px solid var(--_border); border-radius: var(--_radius);
  padding: 1rem 1.25rem; }
section { margin-bottom: 1rem; }
h2, h3 { margin: 0 0 .5rem; font-size: 1.1rem; }
.price { font-size: 1.6rem; font-weight: 600; margin: .25rem 0; }
.muted { color: var(--_muted); font-size: .9rem; }
ul { padding-left: 1.1rem; margin: .5rem 0; }
button, a.button { font: inherit; cursor: pointer; border-radius: calc(var(--_radius) / 2); padding: .5rem 1rem;
  border: 1px solid var(--_accent); background: var(--_accent); color: var(--tollgate-accent-text, #fff);
  text-decoration: none; display: inline-block; margin: .25rem .5rem .25rem 0; }
button.secondary { background: transparent; color: var(--_accent); }
button[aria-pressed="true"] { background: var(--_accent); color: var(--tollgate-accent-text, #fff); }
button[aria-pressed="false"] { background: transparent; color: var(--_accent); }
button:disabled { opacity: .6; cursor: default; }
button:focus-visible, a:focus-visible, select:focus-visible { outline: 3px solid var(--tollgate-focus, #0a84ff);
  outline-offset: 2px; }
[role="alert"] { color: var(--_error); border: 1px solid currentColor; border-radius: calc(var(--_radius) / 2);
  padding: .5rem .75rem; margin: .5rem 0; }
[role="alert"] strong { display: block; }
.notice { border: 1px solid var(--_accent); border-radius: calc(var(--_radius) / 2); padding: .5rem .75rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--_border); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 .5rem; }
dt { color: var(--_muted); } dd { margin: 0; }
.balance { font-size: 1.6rem; font-weight: 600; }
`;

function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Base of the three components: configuration, texts, API calls and problem display. */
class TollgateElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.texts = {};
  }

  get apiBase() {
    return (this.getAttribute("api-base") ?? shared.apiBase ?? "").replace(/\/$/, "");
  }

  get tokenSource() {
    return this.getToken || shared.getToken;
  }

  /** A text with {placeholders} filled in (escaped for HTML). */
  t(key, values = {}) {
    const template = this.texts[key] ?? shared.texts[key] ?? TEXTS[key] ?? key;
    return escapeHtml(template).replace(/\{(\w+)\}/g, (_, name) => escapeHtml(values[name] ?? ""));
  }

  locale() {
    return this.getAttribute("locale") || shared.locale || undefined;
  }

  money(amount, currency) {
    try {
      return new Intl.NumberFormat(this.locale(), { style: "currency", currency: String(currency).toUpperCase() })
        .format(amount / 100);
    } catch (e) {
      return `${(amount / 100).toFixed(2)} ${String(currency).toUpperCase()}`;
    }
  }

  date(value) {
    if (!value) return "";
    const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
    return date.toLocaleDateString(this.locale(), { year: "numeric", month: "short", day: "numeric" });
  }

  async headers(json) {
    const headers = { Accept: "application/json, application/problem+json" };
    if (json) headers["Content-Type"] = "application/json";
    const source = this.tokenSource;
    if (source) {
      const token = await source();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    return headers;
  }

  async api(method, path, body) {
    let response;
    try {
      response = await fetch(this.apiBase + path, {
        method,
        headers: await this.headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
      });
    } catch (e) {
      throw new Problem(0, this.t("error"), e.message);
    }
    if (!response.ok) throw await Problem.from(response, this.t("error"));
    return response.status === 204 ? null : response.json();
  }

  problemHtml(problem) {
    const title = problem instanceof Problem ? problem.title : this.t("error");
    const detail = problem instanceof Problem ? problem.detail : problem?.message;
    return `<div role="alert" part="error"><strong>${escapeHtml(title)}</strong>${detail ? `<span>${escapeHtml(detail)}</span>` : ""}</div>`;
  }

  render(html) {
    this.shadowRoot.innerHTML = `<style>${STYLE}</style>${html}`;
  }

  emit(name, detail) {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }));
  }

  connectedCallback() {
    // Deferred: a page that imports this module and then calls configure() is configured before the first load.
    this.pending = setTimeout(() => this.refresh(), 0);
  }
}

Problem.from = async function (response, fallbackTitle) {
  let body = null;
  try {
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) body = await response.json();
  } catch (e) {
    body = null;
  }
  const title = body && typeof body.title === "string" ? body.title : response.statusText || fallbackTitle;
  const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
  return new Problem(response.status, title, detail, body);
};

/** The current page's URL with one query parameter set (redirect targets default to the page itself). */
function here(name, value) {
  const url = new URL(window.location.href);
  url.searchParams.delete("session_id");
  url.searchParams.delete("checkout");
  return `${url.origin}${url.pathname}?${url.searchParams.toString() ? url.searchParams.toString() + "&" : ""}${name}=${value}`;
}

// --- <tollgate-pricing> ------------------------------------------------------------------------------

class TollgatePricing extends TollgateElement {
  constructor() {
    super();
    this.interval = "monthly";
    this.currency = null;
    this.catalog = null;
  }

  async refresh() {
    this.render(`<p class="muted" role="status">${this.t("loading")}</p>`);
    try {
      this.catalog = await this.api("GET", "/v1/billing/plans");
      const intervals = this.intervals();
      if (!intervals.includes(this.interval)) this.interval = intervals[0] || "monthly";
      const currencies = this.currencies();
      if (!currencies.includes(this.currency)) this.currency = currencies[0] || null;
      this.draw();
    } catch (problem) {
      this.render(this.problemHtml(problem));
    }
  }

  intervals() {
    const found = new Set();
    (this.catalog?.plans || []).forEach((p) => (p.prices || []).forEach((price) => found.add(price.interval)));
    return ["monthly", "yearly"].filter((i) => found.has(i));
  }

  currencies() {
    const found = new Set();
    (this.catalog?.plans || []).forEach((p) => (p.prices || []).forEach((price) => price.currency && found.add(price.currency)));
    (this.catalog?.packs || []).forEach((p) => p.currency && found.add(p.currency));
    return [...found];
  }

  priceOf(plan) {
    const prices = (plan.prices || []).filter((p) => p.interval === this.interval);
    return prices.find((p) => !this.currency || p.currency === this.currency) || null;
  }

  draw(error) {
    const intervals = this.intervals();
    const currencies = this.currencies();
    const toggle = intervals.length > 1
      ? `<div role="group" aria-label="${this.t("billingInterval")}" part="interval">${intervals
          .map((i) => `<button type="button" class="interval" data-interval="${i}" aria-pressed="${i === this.interval}">${this.t(i)}</button>`)
          .join("")}</div>`
      : "";
    const currencyPicker = currencies.length > 1
      ? `<label>${this.t("currency")} <select class="currency">${currencies
          .map((c) => `<option value="${escapeHtml(c)}" ${c === this.currency ? "selected" : ""}>${escapeHtml(c.toUpperCase())}</option>`)
          .join("")}</select></label>`
      : "";
    const plans = (this.catalog.plans || []).map((plan) => this.planCard(plan)).join("");
    const packs = (this.catalog.packs || []).map((pack) => this.packCard(pack)).join("");
    this.render(`${toggle}${currencyPicker}${error ? this.problemHtml(error) : ""}
      <h2 id="plans-title">${this.t("plans")}</h2>
      <div class="cards" role="list" aria-labelledby="plans-title">${plans}</div>
      ${packs ? `<h2 id="packs-title">${this.t("packs")}</h2><div class="cards" role="list" aria-labelledby="packs-title">${packs}</div>` : ""}`);
    this.shadowRoot.querySelectorAll("button.interval").forEach((b) =>
      b.addEventListener("click", () => { this.interval = b.dataset.interval; this.draw(); this.shadowRoot.querySelector(`button[data-interval="${this.interval}"]`)?.focus(); }));
    this.shadowRoot.querySelector("select.currency")?.addEventListener("change", (e) => { this.currency = e.target.value; this.draw(); });
    this.shadowRoot.querySelectorAll("button.subscribe").forEach((b) =>
      b.addEventListener("click", () => this.checkout(b, { plan: b.dataset.plan, interval: this.interval })));
    this.shadowRoot.querySelectorAll("button.buy").forEach((b) =>
      b.addEventListener("click", () => this.checkout(b, { pack: b.dataset.pack, quantity: 1 })));
  }

  planCard(plan) {
    const price = this.priceOf(plan);
    const id = escapeHtml(plan.id);
    const features = Object.entries(plan.features || {}).map(([name, on]) =>
      `<li>${escapeHtml(name)}: <span>${on ? this.t("included") : this.t("notIncluded")}</span></li>`).join("");
    const limits = Object.entries(plan.limits || {}).map(([name, value]) =>
      `<li>${escapeHtml(name)}: ${escapeHtml(value)}</li>`).join("");
    // per_seat: {min, max, adjustable} from GET /plans for plans priced per seat
    const perSeat = plan.per_seat && typeof plan.per_seat === "object" ? plan.per_seat : null;
    const seats = perSeat
      ? `<p class="muted seats">${this.t("perSeat")} ${escapeHtml(perSeat.min ?? "")}${perSeat.max != null
          ? `–${escapeHtml(perSeat.max)}` : "+"} ${this.t("seats").toLowerCase()}</p>`
      : "";
    const amount = price
      ? `<p class="price">${this.money(price.amount, price.currency)} <span class="muted">${this.interval === "yearly" ? this.t("perYear") : this.t("perMonth")}</span></p>`
      : `<p class="price">${this.t("free")}</p>`;
    return `<article class="card plan" role="listitem" data-plan="${id}" part="plan" aria-labelledby="plan-${id}">
      <h3 id="plan-${id}">${escapeHtml(plan.name)}</h3>${amount}${seats}
      ${price && plan.trial_days > 0 ? `<p class="muted trial">${this.t("trial", { days: plan.trial_days })}</p>` : ""}
      ${plan.credits_per_period > 0 ? `<p class="muted">${this.t("creditsPerPeriod", { credits: plan.credits_per_period })}</p>` : ""}
      ${features ? `<ul aria-label="${this.t("features")}">${features}</ul>` : ""}${limits ? `<ul>${limits}</ul>` : ""}
      ${price ? `<button type="button" class="subscribe" data-plan="${id}">${this.t("subscribe", { plan: plan.name })}</button>` : ""}
    </article>`;
  }

  packCard(pack) {
    const id = escapeHtml(pack.id);
    return `<article class="card pack" role="listitem" data-pack="${id}" part="pack" aria-labelledby="pack-${id}">
      <h3 id="pack-${id}">${escapeHtml(pack.name)}</h3>
      <p class="price">${this.money(pack.amount, pack.currency)}</p>
      <p class="muted">${this.t("credits", { credits: pack.credits })}${pack.expires_after_days ? `, ${this.t("creditsExpire", { days: pack.expires_after_days })}` : ""}</p>
      <button type="button" class="buy" data-pack="${id}">${this.t("buy", { pack: pack.name })}</button>
    </article>`;
  }

  async checkout(button, request) {
    const body = {
      ...request,
      success_url: this.getAttribute("success-url") || here("session_id", "{CHECKOUT_SESSION_ID}"),
      cancel_url: this.getAttribute("cancel-url") || here("checkout", "canceled"),
    };
    if (this.currencies().length > 1 && this.currency) body.currency = this.currency;
    if (!this.emit("tollgate-checkout", body)) return;
    button.disabled = true;
    button.textContent = TEXTS_OR(this, "redirecting");
    try {
      const session = await this.api("POST", "/v1/billing/checkout-sessions", body);
      window.location.assign(session.url);
    } catch (problem) {
      this.emit("tollgate-error", problem);
      this.draw(problem);
    }
  }
}

// --- <tollgate-checkout-return> ----------------------------------------------------------------------

class TollgateCheckoutReturn extends TollgateElement {
  async refresh() {
    const params = new URLSearchParams(window.location.search);
    const sessionId = this.getAttribute("session-id") || params.get("session_id");
    if (!sessionId) {
      this.render(params.get("checkout") === "canceled"
        ? `<p class="notice" role="status" part="result">${this.t("returnCanceled")}</p>`
        : (this.hasAttribute("quiet") ? "" : `<p class="muted" role="status">${this.t("returnMissing")}</p>`));
      return;
    }
    this.render(`<p class="muted" role="status">${this.t("confirming")}</p>`);
    try {
      const session = await this.api("GET", `/v1/billing/checkout-sessions/${encodeURIComponent(sessionId)}`);
      if (session.status !== "complete") {
        this.render(`<div role="alert" part="error"><strong>${this.t("returnUnpaid")}</strong></div>`);
        return;
      }
      if (session.mode === "subscription") {
        const [subscription, catalog] = await Promise.all([this.api("GET", "/v1/billing/subscription"),
          this.api("GET", "/v1/billing/plans")]);
        const text = subscription.status === "trialing" ? "returnTrial" : "returnPlan";
        const name = (catalog.plans || []).find((p) => p.id === subscription.plan)?.name || subscription.plan;
        this.render(`<p class="notice" role="status" part="result" data-plan="${escapeHtml(subscription.plan)}">${this.t(text, { plan: name })}</p>`);
      } else {
        const credits = await this.api("GET", "/v1/billing/credits?limit=1");
        this.render(`<p class="notice" role="status" part="result" data-balance="${escapeHtml(credits.balance)}">${this.t("returnCredits", { balance: credits.balance })}</p>`);
      }
      this.emit("tollgate-confirmed", session);
    } catch (problem) {
      this.render(this.problemHtml(problem));
    }
  }
}

// --- <tollgate-account> ------------------------------------------------------------------------------

const PAGE = 5;

class TollgateAccount extends TollgateElement {
  constructor() {
    super();
    this.state = { subscription: null, credits: null, payments: null, invoices: null, licenses: null, plans: null };
    this.offsets = { payments: 0, invoices: 0 };
    this.mode = null; // null, "cancel" or "change"
    this.error = null;
    this.live = false;
  }

  disconnectedCallback() {
    this.stopStream();
  }

  async refresh() {
    if (!this.state.subscription) this.render(`<p class="muted" role="status">${this.t("loading")}</p>`);
    await this.load("subscription", "credits", "payments", "invoices", "licenses", "plans");
    this.startStream();
  }

  async load(...parts) {
    const calls = {
      subscription: () => this.api("GET", "/v1/billing/subscription"),
      credits: () => this.api("GET", "/v1/billing/credits?limit=1"),
      payments: () => this.api("GET", `/v1/billing/payments?limit=${PAGE}&offset=${this.offsets.payments}`),
      invoices: () => this.api("GET", `/v1/billing/invoices?limit=${PAGE}&offset=${this.offsets.invoices}`),
      licenses: () => this.api("GET", "/v1/billing/licenses"),
      plans: () => (this.state.plans ? Promise.resolve(this.state.plans) : this.api("GET", "/v1/billing/plans")),
    };
    try {
      const results = await Promise.all(parts.map((p) => calls[p]()));
      parts.forEach((p, i) => { this.state[p] = results[i]; });
      this.error = null;
    } catch (problem) {
      this.error = problem;
    }
    this.draw();
  }

  /** Live changes over fetch (EventSource cannot send the Authorization header); reconnects with a fresh token. */
  async startStream() {
    if (this.streaming || !this.isConnected) return;
    this.streaming = new AbortController();
    const signal = this.streaming.signal;
    let delay = 500;
    while (!signal.aborted && this.isConnected) {
      try {
        const response = await fetch(`${this.apiBase}/v1/billing/stream`, { headers: { ...(await this.headers(false)), Accept: "text/event-stream" }, signal, credentials: "omit" });
        if (!response.ok) throw await Problem.from(response, this.t("error"));
        this.setLive(true);
        delay = 500;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
            this.onEvent(block);
          }
        }
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof Problem && (e.status === 401 || e.status === 403)) {
          this.streaming = null; // a later refresh (a new token) starts it again
          return;
        }
      }
      this.setLive(false);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  stopStream() {
    this.streaming?.abort();
    this.streaming = null;
  }

  onEvent(block) {
    const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
    if (!data) return;
    let change;
    try { change = JSON.parse(data); } catch (e) { return; }
    if (change.kind === "subscription") this.load("subscription", "payments", "invoices", "licenses");
    else if (change.kind === "credits") this.load("credits", "payments");
    else if (change.kind === "license") this.load("licenses");
    if (change.kind && change.kind !== "heartbeat") this.emit("tollgate-change", change);
  }

  setLive(on) {
    this.live = on;
    const status = this.shadowRoot.querySelector(".live");
    if (status) status.textContent = on ? TEXTS_OR(this, "live") : TEXTS_OR(this, "offline");
    this.toggleAttribute("live", on);
  }

  draw() {
    const focused = this.shadowRoot.activeElement?.id;
    const s = this.state;
    this.render(`<div part="account">
      ${this.error ? this.problemHtml(this.error) : ""}
      ${s.subscription ? this.subscriptionHtml(s.subscription) : ""}
      ${s.credits ? this.creditsHtml(s.credits) : ""}
      ${s.payments ? this.paymentsHtml(s.payments) : ""}
      ${s.invoices ? this.invoicesHtml(s.invoices) : ""}
      ${s.licenses ? this.licensesHtml(s.licenses) : ""}
      <p class="muted live" role="status">${this.live ? this.t("live") : ""}</p></div>`);
    this.wire();
    if (focused) this.shadowRoot.getElementById(focused)?.focus();
  }

  subscriptionHtml(sub) {
    const live = sub.status && sub.status !== "none" && sub.status !== "canceled";
    const action = sub.action && sub.action.type === "confirm_payment"
      ? `<div role="alert" class="action" part="action"><strong>${this.t("paymentAction", { amount: sub.action.amount != null ? this.money(sub.action.amount, sub.action.currency || "usd") : "" })}</strong>
         ${sub.action.hosted_invoice_url ? `<a class="button" href="${escapeHtml(sub.action.hosted_invoice_url)}">${this.t("completePayment")}</a>` : ""}</div>`
      : "";
    const cancelState = sub.cancel_at_period_end || sub.cancel_at
      ? `<p class="notice cancel-state" role="status">${this.t("cancelsOn", { date: this.date(sub.cancel_at || sub.current_period_end) })}</p>` : "";
    let controls = "";
    if (live && this.mode === "cancel") {
      controls = `<div role="alertdialog" aria-labelledby="cancel-question" class="confirm">
        <p id="cancel-question">${this.t("cancelConfirm", { date: this.date(sub.current_period_end) })}</p>
        <button type="button" id="cancel-yes">${this.t("cancelYes")}</button>
        <button type="button" class="secondary" id="cancel-no">${this.t("keep")}</button></div>`;
    } else if (live && this.mode === "change") {
      controls = this.changeHtml(sub);
    } else if (live) {
      controls = (sub.cancel_at_period_end || sub.cancel_at
        ? `<button type="button" id="resume">${this.t("resume")}</button>`
        : `<button type="button" class="secondary" id="cancel">${this.t("cancel")}</button>`)
        + `<button type="button" class="secondary" id="change">${this.t("change")}</button>`;
    }
    controls += `<button type="button" class="secondary" id="portal">${this.t("portal")}</button>`;
    return `<section aria-labelledby="plan-title" class="subscription" part="subscription" data-status="${escapeHtml(sub.status)}">
      <h2 id="plan-title">${this.t("plan")}</h2>${action}
      <dl><dt>${this.t("plan")}</dt><dd class="plan-name" data-plan="${escapeHtml(sub.plan)}">${escapeHtml(this.planName(sub.plan) || this.t("noSubscription"))}</dd>
      <dt>${this.t("status")}</dt><dd class="status">${escapeHtml(sub.status)}</dd>
      ${sub.interval ? `<dt>${this.t("interval")}</dt><dd>${this.t(sub.interval)}</dd>` : ""}
      ${sub.quantity > 1 || sub.seats ? `<dt>${this.t("seats")}</dt><dd class="seats">${escapeHtml(sub.seats ?? sub.quantity)}</dd>` : ""}
      ${sub.trial_end && sub.status === "trialing" ? `<dt>${this.t("trialEnds")}</dt><dd>${this.date(sub.trial_end)}</dd>` : ""}
      ${live && sub.current_period_end ? `<dt>${this.t("periodEnd")}</dt><dd class="period-end">${this.date(sub.current_period_end)}</dd>` : ""}</dl>
      ${cancelState}${controls}</section>`;
  }

  planName(id) {
    return (this.state.plans?.plans || []).find((p) => p.id === id)?.name || id;
  }

  changeHtml(sub) {
    const options = [];
    (this.state.plans?.plans || []).forEach((plan) => (plan.prices || []).forEach((price) => {
      if (plan.id === sub.plan && price.interval === sub.interval) return;
      options.push(`<option value="${escapeHtml(plan.id)}:${escapeHtml(price.interval)}">${escapeHtml(plan.name)} – ${this.t(price.interval)} (${this.money(price.amount, price.currency)})</option>`);
    }));
    const chosen = this.changeChoice;
    if (chosen) {
      const [plan, interval] = chosen.split(":");
      const name = this.state.plans.plans.find((p) => p.id === plan)?.name || plan;
      return `<div role="alertdialog" aria-labelledby="change-question" class="confirm">
        <p id="change-question">${this.t("changeConfirm", { plan: name, interval: TEXTS_OR(this, interval) })}</p>
        <button type="button" id="change-yes">${this.t("changeYes")}</button>
        <button type="button" class="secondary" id="change-no">${this.t("back")}</button></div>`;
    }
    return `<div class="confirm"><label for="change-plan">${this.t("changeTo")}</label>
      <select id="change-plan">${options.join("")}</select>
      <button type="button" id="change-next">${this.t("change")}</button>
      <button type="button" class="secondary" id="change-no">${this.t("back")}</button></div>`;
  }

  creditsHtml(credits) {
    const expiring = (credits.expiring || []).map((e) =>
      `<li>${this.t("expiring", { amount: e.amount, date: this.date(e.expires_at) })}</li>`).join("");
    return `<section aria-labelledby="credits-title" part="credits"><h2 id="credits-title">${this.t("creditsTitle")}</h2>
      <p><span class="muted">${this.t("balance")}</span> <span class="balance" aria-live="polite">${escapeHtml(credits.balance)}</span></p>
      ${expiring ? `<ul class="expiring">${expiring}</ul>` : ""}</section>`;
  }

  paymentsHtml(page) {
    const rows = page.items.map((p) => `<tr data-status="${escapeHtml(p.status)}"><td>${this.date(p.created_at)}</td>
      <td>${this.money(p.amount, p.currency)}</td><td class="status">${escapeHtml(p.status)}${p.failure_reason ? `: <span class="failure">${escapeHtml(p.failure_reason)}</span>` : ""}</td>
      <td>${p.receipt_url ? `<a href="${escapeHtml(p.receipt_url)}" rel="noopener">${this.t("receipt")}</a>` : ""}</td></tr>`).join("");
    return `<section aria-labelledby="payments-title" part="payments" class="payments"><h2 id="payments-title">${this.t("payments")}</h2>
      ${rows ? `<table><thead><tr><th scope="col">${this.t("date")}</th><th scope="col">${this.t("amount")}</th><th scope="col">${this.t("status")}</th><th scope="col"><span class="muted">${this.t("receipt")}</span></th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="muted">${this.t("none")}</p>`}
      ${this.pager("payments", page.total)}</section>`;
  }

  invoicesHtml(page) {
    const rows = page.items.map((i) => `<tr><td>${escapeHtml(i.number || i.id)}</td><td>${this.date(i.created_at)}</td>
      <td>${this.money(i.amount_due ?? 0, i.currency || "usd")}</td><td>${escapeHtml(i.status)}</td>
      <td>${i.invoice_pdf ? `<a class="pdf" href="${escapeHtml(i.invoice_pdf)}" rel="noopener">${this.t("pdf")}</a>` : ""}</td></tr>`).join("");
    return `<section aria-labelledby="invoices-title" part="invoices" class="invoices"><h2 id="invoices-title">${this.t("invoices")}</h2>
      ${rows ? `<table><thead><tr><th scope="col">${this.t("number")}</th><th scope="col">${this.t("date")}</th><th scope="col">${this.t("amount")}</th><th scope="col">${this.t("status")}</th><th scope="col">${this.t("pdf")}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="muted">${this.t("none")}</p>`}
      ${this.pager("invoices", page.total)}</section>`;
  }

  pager(kind, total) {
    if (total <= PAGE) return "";
    const offset = this.offsets[kind];
    return `<nav aria-label="${this.t(kind)}"><button type="button" class="secondary" id="${kind}-previous" ${offset === 0 ? "disabled" : ""}>${this.t("previous")}</button>
      <button type="button" class="secondary" id="${kind}-next" ${offset + PAGE >= total ? "disabled" : ""}>${this.t("next")}</button></nav>`;
  }

  licensesHtml(licenses) {
    const items = (Array.isArray(licenses) ? licenses : licenses.items || []).map((l) =>
      `<li data-status="${escapeHtml(l.status)}"><code>${escapeHtml(l.key)}</code> – ${escapeHtml(l.plan)} (${escapeHtml(l.status)})</li>`).join("");
    return `<section aria-labelledby="licenses-title" part="licenses" class="licenses"><h2 id="licenses-title">${this.t("licenses")}</h2>
      ${items ? `<ul>${items}</ul>` : `<p class="muted">${this.t("none")}</p>`}</section>`;
  }

  wire() {
    const on = (id, handler) => this.shadowRoot.getElementById(id)?.addEventListener("click", handler);
    const focus = (id) => this.shadowRoot.getElementById(id)?.focus();
    on("cancel", () => { this.mode = "cancel"; this.draw(); focus("cancel-yes"); });
    on("cancel-no", () => { this.mode = null; this.draw(); focus("cancel"); });
    on("cancel-yes", () => this.act("/v1/billing/subscription/cancel", { at_period_end: true }, "resume"));
    on("resume", () => this.act("/v1/billing/subscription/resume", {}, "cancel"));
    on("change", () => { this.mode = "change"; this.changeChoice = null; this.draw(); focus("change-plan"); });
    on("change-next", () => { this.changeChoice = this.shadowRoot.getElementById("change-plan").value; this.draw(); focus("change-yes"); });
    on("change-no", () => { this.mode = null; this.changeChoice = null; this.draw(); focus("change"); });
    on("change-yes", () => {
      const [plan, interval] = this.changeChoice.split(":");
      this.changeChoice = null;
      this.act("/v1/billing/subscription/change", { plan, interval }, "change");
    });
    on("portal", async () => {
      try {
        const portal = await this.api("POST", "/v1/billing/portal-sessions", this.getAttribute("return-url") ? { return_url: this.getAttribute("return-url") } : {});
        window.location.assign(portal.url);
      } catch (problem) { this.error = problem; this.draw(); }
    });
    ["payments", "invoices"].forEach((kind) => {
      on(`${kind}-previous`, () => { this.offsets[kind] = Math.max(0, this.offsets[kind] - PAGE); this.load(kind); });
      on(`${kind}-next`, () => { this.offsets[kind] += PAGE; this.load(kind); });
    });
  }

  async act(path, body, focusAfter) {
    this.shadowRoot.querySelectorAll("section.subscription button").forEach((b) => { b.disabled = true; });
    try {
      this.state.subscription = await this.api("POST", path, body);
      this.error = null;
    } catch (problem) {
      this.error = problem;
    }
    this.mode = null;
    this.draw();
    this.shadowRoot.getElementById(focusAfter)?.focus();
    this.load("subscription");
  }
}

function TEXTS_OR(element, key) {
  return element.texts[key] ?? shared.texts[key] ?? TEXTS[key] ?? key;
}

if (!customElements.get("tollgate-pricing")) customElements.define("tollgate-pricing", TollgatePricing);
if (!customElements.get("tollgate-checkout-return")) customElements.define("tollgate-checkout-return", TollgateCheckoutReturn);
if (!customElements.get("tollgate-account")) customElements.define("tollgate-account", TollgateAccount);
