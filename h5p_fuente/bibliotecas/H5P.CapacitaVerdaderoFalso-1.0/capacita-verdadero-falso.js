/* H5P.CapacitaVerdaderoFalso 1.0: un caso con respuesta Verdadero o Falso.
 *
 * Extiende H5P.EventDispatcher para heredar createXAPIEventTemplate y
 * triggerXAPIScored del núcleo de H5P (frame.bundle.js de h5p-standalone). Todo el
 * texto del contenido se inserta con textContent: content.json nunca se interpreta
 * como HTML.
 */
var H5P = H5P || {};

H5P.CapacitaVerdaderoFalso = (function (EventDispatcher) {
  "use strict";

  var TEXTOS = {
    verdadero: "Verdadero",
    falso: "Falso",
    reintentar: "Intentar de nuevo",
    grupo: "Su respuesta",
    correcto: "Respuesta correcta.",
    incorrecto: "Respuesta incorrecta."
  };

  function elemento(etiqueta, clase, texto) {
    var el = document.createElement(etiqueta);
    if (clase) el.className = clase;
    if (texto !== undefined) el.textContent = texto;
    return el;
  }

  function CapacitaVerdaderoFalso(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.extras = extras || {};
    this.textos = Object.assign({}, TEXTOS, this.params.textos || {});
    this.respuesta = null;
  }

  CapacitaVerdaderoFalso.prototype = Object.create(EventDispatcher.prototype);
  CapacitaVerdaderoFalso.prototype.constructor = CapacitaVerdaderoFalso;

  CapacitaVerdaderoFalso.prototype.attach = function ($container) {
    var self = this;
    var raiz = $container.get ? $container.get(0) : $container;
    raiz.classList.add("h5p-capacita-vf");
    raiz.replaceChildren();

    var idEnunciado = "capacita-vf-enunciado-" + this.contentId;
    if (this.params.titulo) {
      raiz.appendChild(elemento("h2", "h5p-capacita-vf__titulo", this.params.titulo));
    }
    var enunciado = elemento("p", "h5p-capacita-vf__enunciado", this.params.enunciado || "");
    enunciado.id = idEnunciado;
    raiz.appendChild(enunciado);

    var grupo = elemento("div", "h5p-capacita-vf__opciones");
    grupo.setAttribute("role", "group");
    grupo.setAttribute("aria-labelledby", idEnunciado);
    this.botones = [true, false].map(function (valor) {
      var boton = elemento(
        "button",
        "h5p-capacita-vf__opcion",
        valor ? self.textos.verdadero : self.textos.falso
      );
      boton.type = "button";
      boton.setAttribute("aria-pressed", "false");
      boton.addEventListener("click", function () { self.responder(valor); });
      grupo.appendChild(boton);
      return boton;
    });
    raiz.appendChild(grupo);

    this.retro = elemento("div", "h5p-capacita-vf__retro");
    this.retro.setAttribute("role", "status");
    this.retro.setAttribute("aria-live", "polite");
    raiz.appendChild(this.retro);

    this.botonReintentar = elemento(
      "button", "h5p-capacita-vf__reintentar", this.textos.reintentar
    );
    this.botonReintentar.type = "button";
    this.botonReintentar.hidden = true;
    this.botonReintentar.addEventListener("click", function () {
      self.resetTask();
      self.botones[0].focus();
    });
    raiz.appendChild(this.botonReintentar);
    this.trigger("resize");
  };

  CapacitaVerdaderoFalso.prototype.responder = function (valor) {
    if (this.respuesta !== null) return;
    this.respuesta = valor;
    var correcta = valor === !!this.params.correcta;
    this.botones.forEach(function (boton, i) {
      boton.disabled = true;
      boton.setAttribute("aria-pressed", String((i === 0) === valor));
    });
    this.retro.className = "h5p-capacita-vf__retro " +
      (correcta ? "h5p-capacita-vf__retro--ok" : "h5p-capacita-vf__retro--error");
    this.retro.replaceChildren(
      elemento("strong", null, correcta ? this.textos.correcto : this.textos.incorrecto),
      document.createTextNode(" " + (correcta
        ? this.params.retroalimentacionCorrecta || ""
        : this.params.retroalimentacionIncorrecta || ""))
    );
    this.botonReintentar.hidden = false;
    // answered con puntaje 1/1 o 0/1, completitud, éxito y la respuesta dada: el
    // servidor recalcula el puntaje desde result.response y content.json, sin
    // creerle al navegador (content/h5p/calificacion.py).
    this.trigger(this.declaracion("answered"));
    this.trigger("resize");
  };

  // Contrato «Question type» de H5P, para contenedores como Question Set.
  CapacitaVerdaderoFalso.prototype.getAnswerGiven = function () {
    return this.respuesta !== null;
  };
  CapacitaVerdaderoFalso.prototype.getScore = function () {
    return this.respuesta !== null && this.respuesta === !!this.params.correcta ? 1 : 0;
  };
  CapacitaVerdaderoFalso.prototype.getMaxScore = function () {
    return 1;
  };
  CapacitaVerdaderoFalso.prototype.showSolutions = function () {};
  CapacitaVerdaderoFalso.prototype.resetTask = function () {
    this.respuesta = null;
    this.botones.forEach(function (boton) {
      boton.disabled = false;
      boton.setAttribute("aria-pressed", "false");
    });
    this.retro.className = "h5p-capacita-vf__retro";
    this.retro.replaceChildren();
    this.botonReintentar.hidden = true;
    this.trigger("resize");
  };
  // Interacción xAPI «true-false» (cmi.interaction): response es "true" o "false".
  CapacitaVerdaderoFalso.prototype.declaracion = function (verbo) {
    var evento = this.createXAPIEventTemplate(verbo);
    var definicion = evento.getVerifiedStatementValue(["object", "definition"]);
    if (definicion) {
      definicion.type = "http://adlnet.gov/expapi/activities/cmi.interaction";
      definicion.interactionType = "true-false";
    }
    evento.setScoredResult(this.getScore(), 1, this, true, this.getScore() === 1);
    if (this.respuesta !== null) {
      evento.data.statement.result.response = this.respuesta ? "true" : "false";
    }
    return evento;
  };
  CapacitaVerdaderoFalso.prototype.getXAPIData = function () {
    return { statement: this.declaracion("answered").data.statement };
  };

  return CapacitaVerdaderoFalso;
})(H5P.EventDispatcher);
