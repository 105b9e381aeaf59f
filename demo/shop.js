// Demo shop: products, a cart kept in sessionStorage, hash routes (#/cart, #/checkout,
// #/order-complete) and a few feedpulse calls. Talks to Feedpulse through the async snippet form,
// which works whether or not the widget's script has loaded yet.
(function () {
  'use strict';
  window.feedpulse = window.feedpulse || [];
  var fp = function () { window.feedpulse.push(Array.prototype.slice.call(arguments)); };

  var products = [
    { sku: 'mug', name: 'Stoneware mug', price: 18, blurb: 'Holds heat, survives the dishwasher.' },
    { sku: 'pack', name: 'Canvas backpack', price: 79, blurb: 'Waxed canvas, 22 litres, lifetime repairs.' },
    { sku: 'socks', name: 'Merino socks', price: 16, blurb: 'Warm in winter, cool in summer.' },
    { sku: 'plant', name: 'Desk plant', price: 24, blurb: 'Hard to kill. We checked.' },
    { sku: 'candle', name: 'Beeswax candle', price: 14, blurb: 'Burns for 40 hours, smells of honey.' },
    { sku: 'jacket', name: 'Rain jacket', price: 129, blurb: 'Packs into its own pocket.' },
  ];
  var money = function (n) { return '€' + n.toFixed(2); };
  var bySku = {};
  products.forEach(function (p) { bySku[p.sku] = p; });

  var cart = (function () {
    try { return JSON.parse(sessionStorage.getItem('demo-cart') || '{}') || {}; } catch (e) { return {}; }
  })();
  var saveCart = function () {
    try { sessionStorage.setItem('demo-cart', JSON.stringify(cart)); } catch (e) { /* private mode */ }
    renderCart();
  };
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  };

  function renderProducts() {
    var list = $('products');
    products.forEach(function (p) {
      var item = el('li', 'product');
      // A coloured monogram tile per product (no images or emoji fonts needed).
      var art = el('div', 'art art-' + p.sku, p.name.charAt(0));
      art.setAttribute('aria-hidden', 'true');
      item.appendChild(art);
      item.appendChild(el('h2', null, p.name));
      item.appendChild(el('p', 'blurb', p.blurb));
      item.appendChild(el('p', 'price', money(p.price)));
      var add = el('button', 'add', 'Add to cart');
      add.type = 'button';
      add.setAttribute('aria-label', 'Add ' + p.name + ' to cart');
      add.addEventListener('click', function () {
        cart[p.sku] = (cart[p.sku] || 0) + 1;
        saveCart();
        fp('track', 'add_to_cart', { sku: p.sku, price: p.price });
        add.textContent = 'Added ✓';
        setTimeout(function () { add.textContent = 'Add to cart'; }, 1200);
      });
      item.appendChild(add);
      list.appendChild(item);
    });
  }

  function total() {
    return Object.keys(cart).reduce(function (sum, sku) { return sum + (bySku[sku] ? bySku[sku].price * cart[sku] : 0); }, 0);
  }

  function renderCart() {
    var count = Object.keys(cart).reduce(function (n, sku) { return n + cart[sku]; }, 0);
    $('cart-count').textContent = String(count);
    var lines = $('cart-lines');
    lines.textContent = '';
    Object.keys(cart).forEach(function (sku) {
      var p = bySku[sku];
      if (!p) return;
      var line = el('li', null, p.name + ' × ' + cart[sku] + ' — ' + money(p.price * cart[sku]));
      var remove = el('button', 'quiet', 'Remove');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove ' + p.name);
      remove.addEventListener('click', function () { delete cart[sku]; saveCart(); });
      line.appendChild(remove);
      lines.appendChild(line);
    });
    $('cart-empty').hidden = count > 0;
    $('cart-total').textContent = money(total());
    $('pay-total').textContent = money(total());
    $('checkout').disabled = count === 0;
  }

  // Hash routes, so every view survives a reload on any static server.
  function route() {
    var path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
    var sections = document.querySelectorAll('[data-route]');
    var found = false;
    for (var i = 0; i < sections.length; i++) {
      var match = sections[i].getAttribute('data-route') === path;
      sections[i].hidden = !match;
      found = found || match;
    }
    if (!found) sections[0].hidden = false;
  }

  document.addEventListener('DOMContentLoaded', function () {
    renderProducts();
    renderCart();
    route();
    window.addEventListener('hashchange', function () {
      route();
      $('view').focus();
    });
    $('checkout').addEventListener('click', function () {
      fp('track', 'checkout_started', { value: total() });
      location.hash = '#/checkout';
    });
    $('checkout-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var order = 'NW-' + Math.floor(100000 + Math.random() * 900000);
      fp('track', 'order_completed', { order: order, value: total() });
      cart = {};
      saveCart();
      $('order-id').textContent = order;
      location.hash = '#/order-complete';
    });
    // The shop's own button for the `manual` trigger: code decides when to ask.
    $('rate-visit').addEventListener('click', function () { fp('open'); });
    $('forget-answer').addEventListener('click', function () {
      try { localStorage.removeItem('feedpulse:answered:demo-shop'); } catch (e) { /* nothing to forget */ }
      location.reload();
    });
  });
})();
