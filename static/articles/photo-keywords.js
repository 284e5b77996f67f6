// Story admin: a photo keyword button adds the keyword to the "New tags" field.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".photo-keyword");
  if (!button) return;
  const field = document.getElementById("id_new_tags");
  if (!field) return;
  const tags = field.value.split(",").map((t) => t.trim()).filter(Boolean);
  if (!tags.some((t) => t.toLowerCase() === button.dataset.tag.toLowerCase())) tags.push(button.dataset.tag);
  field.value = tags.join(", ");
  button.disabled = true;
});
