// French (non-breaking spaces before ? and !). One line per key, in the order of `keys` in ./en.ts.
export default `Votre avis
Comment s’est passée votre expérience ?
Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue ?
Fermer
Envoyer
Dites-nous en plus (facultatif)
Qu’est-ce qui n’a pas fonctionné ?
Que pourrions-nous améliorer ?
Qu’avez-vous le plus apprécié ?
Merci pour votre avis !
Merci ! Votre avis est enregistré et sera envoyé dès que vous serez de nouveau en ligne.
Désolé, cela n’a pas fonctionné. Veuillez réessayer.
1 étoile
{n} étoiles
Pouce vers le bas
Pouce vers le haut
Très insatisfait
Insatisfait
Neutre
Satisfait
Très satisfait
Peu probable
Très probable
Choisissez d’abord une note`;
