// Spanish. One line per key, in the order of `keys` in ./en.ts.
export default `Opinión
¿Cómo fue tu experiencia?
¿Qué probabilidad hay de que nos recomiendes a un amigo o colega?
Cerrar
Enviar
Cuéntanos más (opcional)
¿Qué salió mal?
¿Qué podríamos mejorar?
¿Qué es lo que más te gustó?
¡Gracias por tu opinión!
¡Gracias! Tu opinión se ha guardado y se enviará cuando vuelvas a estar en línea.
Lo sentimos, no ha funcionado. Inténtalo de nuevo.
1 estrella
{n} estrellas
Pulgar abajo
Pulgar arriba
Muy insatisfecho
Insatisfecho
Neutral
Satisfecho
Muy satisfecho
Poco probable
Muy probable
Elige primero una valoración`;
