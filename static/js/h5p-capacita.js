// Capacita: reproduce las actividades H5P de una lección con h5p-standalone y envía
// sus resultados xAPI finales al tenant (content.views.h5p_xapi).
//
// Regla de identidad (DESIGN.md §7): cada reproductor recibe como xAPIObjectIRI la
// IRI de la actividad que calcula el servidor (URL de la lección + "#h5p-<paquete>")
// y como id el del bloque. Solo se envían declaraciones sin contexto padre (no de
// subactividades) y con verbo final; el servidor vuelve a exigir la misma IRI.
(function () {
  "use strict";
  if (window.CapacitaH5P) return; // el bloque puede incluir este script varias veces
  window.CapacitaH5P = { enviadas: 0 };

  var VERBOS_FINALES = ["answered", "completed", "passed", "failed"];
  var EXT_ID_LOCAL = "http://h5p.org/x-api/h5p-local-content-id";
  var contenedores = [];

  function mostrar(contenedor, texto, tipo) {
    var estado = contenedor.parentNode.querySelector("[data-h5p-estado]");
    if (!estado) return;
    var parrafo = document.createElement("p");
    parrafo.className = "mensaje" + (tipo ? " mensaje--" + tipo : "");
    parrafo.textContent = texto;
    estado.replaceChildren(parrafo);
  }

  function cargarScript(src) {
    return new Promise(function (resolver, rechazar) {
      if (window.H5PStandalone) return resolver();
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolver(); };
      script.onerror = function () { rechazar(new Error("No cargó " + src)); };
      document.head.appendChild(script);
    });
  }

  function esFinal(declaracion) {
    var verbo = declaracion.verb && declaracion.verb.id;
    if (typeof verbo !== "string") return false;
    return VERBOS_FINALES.indexOf(verbo.split("/").pop()) !== -1;
  }

  function contenedorDe(declaracion) {
    var objeto = declaracion.object || {};
    var ext = (objeto.definition && objeto.definition.extensions) || {};
    var idLocal = ext[EXT_ID_LOCAL];
    for (var i = 0; i < contenedores.length; i++) {
      var c = contenedores[i];
      if (objeto.id === c.dataset.actividadIri &&
          (idLocal === undefined || String(idLocal) === c.dataset.h5pId)) {
        return c;
      }
    }
    return null;
  }

  function enviar(contenedor, declaracion) {
    mostrar(contenedor, contenedor.dataset.msgGuardando);
    return fetch(contenedor.dataset.xapiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": contenedor.dataset.csrf,
      },
      body: JSON.stringify(declaracion),
    })
      .then(function (respuesta) {
        return respuesta.json().then(function (datos) {
          if (!respuesta.ok) throw new Error(datos.error || respuesta.status);
          window.CapacitaH5P.enviadas += 1;
          mostrar(contenedor, datos.mensaje, datos.aprobado ? "success" : "info");
        });
      })
      .catch(function (error) {
        mostrar(contenedor, contenedor.dataset.msgError, "error");
        if (window.console) console.warn("xAPI", error);
      });
  }

  function alRecibirXAPI(evento) {
    var declaracion = evento && evento.data && evento.data.statement;
    if (!declaracion || !esFinal(declaracion)) return;
    var contexto = declaracion.context || {};
    if (contexto.contextActivities && contexto.contextActivities.parent) return;
    var contenedor = contenedorDe(declaracion);
    if (contenedor) enviar(contenedor, declaracion);
  }

  function iniciar(contenedor) {
    var d = contenedor.dataset;
    // Sin `user`: pasarlo sin ajax.contentUserDataUrl rompe el render (DESIGN.md §7).
    var opciones = {
      id: d.h5pId,
      h5pJsonPath: d.h5pJson,
      frameJs: d.h5pFrameJs,
      frameCss: d.h5pFrameCss,
      xAPIObjectIRI: d.actividadIri,
      frame: false,
      copyright: false,
      export: false,
      icon: false,
      fullScreen: false,
    };
    var destino = contenedor.querySelector(".h5p-capacita__reproductor");
    return new window.H5PStandalone.H5P(destino, opciones)
      .then(function () {
        // El reproductor crea su iframe sin nombre accesible (axe: frame-title).
        var marco = destino.querySelector("iframe");
        if (marco && d.h5pTitulo) marco.title = d.h5pTitulo;
      })
      .catch(function (error) {
        mostrar(contenedor, d.msgCarga, "error");
        if (window.console) console.warn("H5P", error);
      });
  }

  function arrancar() {
    contenedores = Array.prototype.slice.call(
      document.querySelectorAll("[data-h5p-capacita]")
    );
    if (!contenedores.length) return;
    cargarScript(contenedores[0].dataset.h5pBundle)
      .then(function () {
        // h5p-standalone exige iniciar los reproductores de a uno.
        return contenedores.reduce(function (cadena, contenedor) {
          return cadena.then(function () { return iniciar(contenedor); });
        }, Promise.resolve());
      })
      .then(function () {
        if (window.H5P && window.H5P.externalDispatcher) {
          window.H5P.externalDispatcher.on("xAPI", alRecibirXAPI);
        }
      })
      .catch(function (error) {
        contenedores.forEach(function (c) {
          mostrar(c, c.dataset.msgCarga, "error");
        });
        if (window.console) console.warn("H5P", error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", arrancar);
  } else {
    arrancar();
  }
})();
