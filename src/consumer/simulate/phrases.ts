// Comment phrases for simulated visitors in four languages, by mood. The `incident` ones belong
// to a simulated payment outage and carry the words the default alert rules look for.
export type Mood = 'positive' | 'neutral' | 'negative' | 'incident';
export type PhraseLanguage = 'en' | 'de' | 'fr' | 'es';

export const PHRASES: Record<PhraseLanguage, Record<Mood, string[]>> = {
  en: {
    positive: [
      'Fast checkout, love it', 'Great selection and quick delivery', 'Excellent service, will order again',
      'The espresso machine is amazing', 'Easy to find what I needed', 'Super helpful product photos',
      'Smooth and simple, thank you', 'Best coffee shop online, highly recommend',
    ],
    neutral: [
      'Okay, but shipping costs are high', 'Search could show more results', 'Fine overall, delivery took a while',
      'Would like more filter options', 'Decent prices', 'Took me a moment to find the cart',
    ],
    negative: [
      'The page is so slow, terrible experience', 'Coupon code does not work', 'Confusing checkout, gave up',
      'Disappointed, the grinder arrived damaged', 'Awful support, nobody answers', 'Sizes are wrong and the filters are useless',
      'Still waiting for my refund after three weeks',
    ],
    incident: [
      'Payment page is broken, cannot pay', 'I was charged twice for one order!', 'Card payment broken, I want a refund',
      'Pay button does nothing, this is broken', 'Charged twice and no confirmation email, terrible',
    ],
  },
  de: {
    positive: ['Super schnell und einfach', 'Toller Shop, gerne wieder', 'Sehr gut, danke!', 'Hervorragende Beratung und schnelle Lieferung'],
    neutral: ['Versandkosten sind etwas hoch', 'Die Suche könnte besser sein', 'Ganz okay'],
    negative: ['Die Seite ist sehr langsam', 'Leider ist die Mühle defekt angekommen', 'Schlecht, der Gutschein funktioniert nicht', 'Enttäuscht vom Kundenservice'],
    incident: ['Die Zahlung ist kaputt, ich will eine Rückerstattung', 'Zweimal abgebucht, schrecklich!', 'Bezahlen geht nicht, alles kaputt'],
  },
  fr: {
    positive: ['Très bien, livraison rapide', 'Excellent, merci beaucoup', 'Site facile et agréable', 'Super choix de cafés'],
    neutral: ['Les frais de port sont un peu chers', 'La recherche pourrait être meilleure', 'Correct dans l’ensemble'],
    negative: ['Site très lent, mauvais', 'Le moulin est arrivé cassé', 'Service client nul, déçu', 'Le code promo ne marche pas, décevant'],
    incident: ['Le paiement est cassé, je veux un remboursement', 'Débité deux fois, horrible', 'Impossible de payer, bouton cassé'],
  },
  es: {
    positive: ['Muy bueno, entrega rápida', 'Excelente tienda, gracias', 'Fácil y rápido, me encanta', 'Genial, lo recomiendo'],
    neutral: ['El envío es un poco caro', 'La búsqueda podría mejorar', 'Bien en general'],
    negative: ['La página es muy lenta, malo', 'El molinillo llegó roto', 'Servicio terrible, decepcionado', 'El cupón no funciona, frustrante'],
    incident: ['El pago está roto, quiero un reembolso', 'Me cobraron dos veces, terrible', 'No puedo pagar, botón roto'],
  },
};
