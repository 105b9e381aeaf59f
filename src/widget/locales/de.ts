// German. One line per key, in the order of `keys` in ./en.ts.
export default `Feedback
Wie war Ihre Erfahrung?
Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?
Schließen
Senden
Erzählen Sie uns mehr (optional)
Was ist schiefgelaufen?
Was können wir besser machen?
Was hat Ihnen am besten gefallen?
Vielen Dank für Ihr Feedback!
Vielen Dank! Ihr Feedback ist gespeichert und wird gesendet, sobald Sie wieder online sind.
Das hat leider nicht geklappt. Bitte versuchen Sie es erneut.
1 Stern
{n} Sterne
Daumen runter
Daumen hoch
Sehr unzufrieden
Unzufrieden
Neutral
Zufrieden
Sehr zufrieden
Unwahrscheinlich
Sehr wahrscheinlich
Bitte zuerst eine Bewertung wählen`;
